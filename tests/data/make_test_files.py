#!/usr/bin/env python3
"""Rebuild the extraction test files in tests/data/ and their expected.json.

    python tests/data/make_test_files.py            # rebuild every file
    python tests/data/make_test_files.py --report naive.txt
                                                    # also write what naive pypdfium2 /
                                                    # pdfplumber extraction returns

All texts below were written for textmine; they are fictional policy texts.
The output is deterministic except for ``encrypted_user_pw.pdf`` and
``encrypted_owner_only.pdf`` (the encryption uses random salts / IVs).

Needs: fpdf2, fonttools, pillow, python-docx (the project venv), Debian
fonts-noto-cjk and fonts-dejavu-core; ``--report`` also needs pypdfium2 and pdfplumber.
See MANIFEST.md for what each file is and what is tricky about it.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import re
import sys
from pathlib import Path

from fpdf.enums import AccessPermission, EncryptionMethod, TextMode
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "tools"))

from docgen import (  # noqa: E402
    NOTO_DIR, NOTO_INDEX, PdfDoc, Style, dejavu, save_docx, wrap,
)

EXPECTED: dict[str, dict] = {}
IDSP = "\u3000"  # ideographic space, as after 第X条 in printed Chinese regulations


def record(name: str, **entry) -> None:
    EXPECTED[name] = entry


def write(name: str, data: bytes) -> None:
    (HERE / name).write_bytes(data)


# =========================================================================== texts

ZH_TEXT_TITLE = "海澄市先进制造业集群培育办法"
ZH_TEXT_SUB = "（2022年3月1日海澄市人民政府令第45号公布，自2022年5月1日起施行）"
ZH_TEXT_ARTICLES = [
    "第一条　为了培育具有国际竞争力的先进制造业集群，推动产业链、创新链、资金链和人才链深度融合，"
    "根据有关法律、法规，结合本市实际，制定本办法。",
    "第二条　本市行政区域内先进制造业集群的培育、促进和服务活动，适用本办法。",
    "第三条　市人民政府统筹全市先进制造业集群培育工作，建立由市领导牵头、有关部门参加的集群培育"
    "协调机制，研究解决集群发展中的重大问题。市工业和信息化部门负责集群培育的组织实施和日常管理，"
    "其他有关部门按照各自职责做好相关工作。",
    "第四条　市工业和信息化部门应当会同发展改革、科技等部门编制先进制造业集群发展规划，明确重点集群、"
    "空间布局和阶段目标，力争到2027年培育两个以上国家级集群，形成一个具有世界级影响力的智能装备集群。",
    "第五条　每个重点集群应当设立集群发展促进机构。促进机构可以由龙头企业、高等学校、科研院所、"
    "行业协会等共同发起，以社会组织或者企业法人形式登记，承担集群战略研究、资源对接、公共服务和"
    "国际交流等职能。促进机构应当建立理事会、专家咨询委员会和专职运营团队，实行市场化运作。",
    "第六条　鼓励集群内企业与高等学校、科研院所开展产学研合作，共建联合实验室、中试基地和技术创新"
    "中心。合作各方应当签订协议，约定知识产权归属和收益分配，建立利益共享、风险共担机制。",
    "第七条　市科技部门支持集群建设共性技术研发平台和检验检测公共服务平台。平台应当向集群内中小企业"
    "开放共享仪器设备，市科技部门按照服务量给予运营补助。",
    "第八条　市财政设立先进制造业集群发展专项资金，重点支持集群促进机构运营、公共平台建设、关键核心"
    "技术攻关和首台（套）装备示范应用。专项资金的具体管理办法由市财政部门会同市工业和信息化部门另行制定。",
    "第九条　鼓励金融机构开发知识产权质押、供应链金融等产品。市政府引导基金可以与社会资本合作设立"
    "集群产业基金，投资集群内成长型企业。",
    "第十条　集群促进机构应当建立成员企业信用档案，推行守信承诺和信息公开，营造诚信互助的合作环境。",
    "第十一条　市工业和信息化部门每年对重点集群开展发展绩效评价，评价结果向社会公布，并作为专项资金"
    "安排的依据。对评价优秀的集群促进机构，市人民政府给予通报表扬。",
    "第十二条　鼓励集群内企业参与国际标准制定，在境外设立研发中心和营销网络，支持集群促进机构与"
    "国外集群组织建立合作关系，联合开拓国际市场。",
    "第十三条　本办法自2022年5月1日起施行。",
]

EN_TEXT_HEADER = "Region of Vellmark \u2014 Cluster Excellence Programme 2021\u20132027"
EN_TEXT_BLOCKS = [
    ("title", "Cluster Excellence Programme 2021\u20132027"),
    ("h1", "Part I \u2014 Objectives"),
    ("p", "1. This programme sets out how the Region of Vellmark will support its industrial "
          "clusters between 2021 and 2027. It builds on the regional smart specialisation strategy "
          "and on the experience of the first generation of cluster initiatives, which brought "
          "together more than 900 firms, four universities and eleven research and technology "
          "organisations."),
    ("p", "2. The overall objective is to help the strongest regional clusters reach world-class "
          "performance. By 2027 at least three cluster organisations should hold the gold label of "
          "the European cluster excellence scheme, and the share of the member firms that take part in "
          "joint research and innovation projects should double."),
    ("p", "3. The programme does not replace sectoral policies. Support to individual firms remains "
          "the task of the regional development agency; the programme addresses cooperation between "
          "firms, knowledge institutions and public authorities."),
    ("h1", "Part II \u2014 Measures"),
    ("p", "4. Cluster organisations may apply for multi-annual operating grants covering up to 50 per "
          "cent of eligible costs for four years. Applicants must present a cluster strategy, a "
          "membership plan and a governance structure in which companies hold the majority of board "
          "seats."),
    ("p", "5. Collaborative research and innovation projects involving at least two companies and one "
          "knowledge institution will be funded through annual calls. Partners must sign a consortium "
          "agreement on the ownership and use of results before the first payment, so that trust "
          "between them rests on clear rules for sharing benefits and risks."),
    ("p", "6. The Region will open its testing facilities and pilot lines to cluster members at "
          "reduced rates and will fund innovation vouchers that small firms can use to buy services "
          "from accredited technology centres."),
    ("p", "7. Cluster organisations are encouraged to build partnerships with clusters in other "
          "European regions and to organise joint missions to markets outside the Union. Travel and "
          "participation costs of small firms in such missions are eligible, and the cluster "
          "organisation coordinates each mission with the regional trade and investment office."),
    ("h1", "Part III \u2014 Monitoring and evaluation"),
    ("p", "8. Each funded cluster organisation reports every year on a common set of indicators: "
          "membership, joint projects, services delivered and international activities. An "
          "independent evaluation will be carried out in 2024 and at the end of the programme "
          "period."),
    ("p", "9. This programme enters into force on 1 March 2021."),
]
EN_HYPHENATION = {
    "innovation": "in-no-va-tion", "organisations": "or-gan-isa-tions",
    "organisation": "or-gan-isa-tion", "specialisation": "spe-cial-isa-tion",
    "institutions": "in-sti-tu-tions", "institution": "in-sti-tu-tion",
    "participation": "par-tic-i-pa-tion", "international": "in-ter-na-tion-al",
    "independent": "in-de-pen-dent", "partnerships": "part-ner-ships",
    "membership": "mem-ber-ship", "consortium": "con-sor-tium",
}

ZH_FAKE_BOLD_BLOCKS = [
    ("title", "江海市集群发展促进机构管理办法"),
    ("h1", "第一章 总则"),
    ("p", "第一条 为规范集群发展促进机构的认定和管理，发挥促进机构在集群治理中的组织协调作用，"
          "根据本市有关规定，制定本办法。"),
    ("p", "第二条 本办法所称集群发展促进机构，是指由集群内企业、高等学校、科研院所和服务机构共同组建，"
          "为集群提供战略咨询、协同创新、资源对接和国际合作等服务的非营利性组织。"),
    ("h1", "第二章 认定条件"),
    ("p", "第三条 申请认定的促进机构应当具有独立法人资格，拥有不少于五名专职工作人员，成员单位不少于"
          "五十家，其中高等学校或者科研院所不少于三家，近两年组织产学研对接活动不少于十场。"),
    ("p", "第四条 认定工作每两年开展一次，由市工业和信息化部门组织专家评审，评审结果向社会公示。"),
]

ZH_SPACED_TITLE = "推动产业集群高质量发展三年行动方案"
ZH_SPACED_ISSUER = "江海市人民政府办公室"
ZH_SPACED_DATE = "二〇二三年五月十日"
ZH_SPACED_BODY = [
    ("h1", "一、总体目标"),
    ("p", "到2025年，全市形成三个千亿级产业集群，培育五家集群发展促进机构，集群内企业研发投入强度"
          "达到百分之三，产学研合作项目数量年均增长百分之十五。"),
    ("h1", "二、重点任务"),
    ("p", "建设共性技术平台，完善集群公共服务体系，推动龙头企业与中小企业协同创新，支持集群企业开拓"
          "国际市场。"),
]

EN_2COL_TITLE = "Working Together: Notes from the Vellmark Cluster Forum"
EN_2COL_LEFT = [
    "Networks first. Participants agreed that the main asset of a cluster is the web of "
    "relationships between its members. Firms that meet regularly at cluster events are more "
    "likely to start joint projects, to share equipment and to hire from each other.",
    "Several speakers pointed out that universities should be present in the network not only as "
    "suppliers of research, but as partners that help to define the questions worth solving.",
]
EN_2COL_RIGHT = [
    "Money follows trust. The session on finance concluded that investors look at the quality of "
    "a cluster's partnerships before they look at individual business plans. A shared due "
    "diligence service run by the cluster organisation was proposed.",
    "The regional bank offered to pilot a guarantee scheme for joint investments by groups of at "
    "least three member companies, starting with the food processing cluster.",
]

ZH_2COL_TITLE = "江海市产业集群发展动态（第6期）"
ZH_2COL_LEFT = [
    "产学研合作取得新进展。本季度，智能装备集群促进机构组织企业与江海大学、市工业技术研究院开展"
    "技术对接活动六场，签订合作协议十九项，联合申报省级重点研发项目四项。",
    "集群公共技术平台开放共享。检验检测中心全年向中小企业开放大型仪器设备二十余台套，服务企业"
    "三百余家次。",
]
ZH_2COL_RIGHT = [
    "科技金融服务持续深化。市集群产业基金完成首期募集，规模十亿元，已投资集群内成长型科技企业"
    "七家。合作银行推出知识产权质押贷款产品，累计放款二点三亿元。",
    "国际合作稳步推进。集群促进机构与欧洲两家集群组织签署合作备忘录，组织十二家企业参加海外展会。",
]

ZH_HF_HEADER = "江海市人民政府文件"
ZH_HF_BLOCKS = [
    ("center", "江府发〔2023〕12号"),
    ("title", "江海市人民政府关于加快建设世界级智能装备产业集群的意见"),
    ("p0", "各区人民政府，市政府各委、办、局，各直属机构："),
    ("p", "智能装备产业是我市的支柱产业。为加快建设具有全球竞争力的世界级智能装备产业集群，"
          "推动产业链上下游协同发展，现提出如下意见。"),
    ("h1", "一、明确发展目标"),
    ("p", "到2027年，全市智能装备产业集群营业收入突破三千亿元，培育产值超百亿元的链主企业五家、"
          "国家级专精特新“小巨人”企业六十家、制造业单项冠军企业十家；建成国家级创新平台八个，"
          "集群内企业研发投入强度达到百分之四；集群发展促进机构的管理水平达到国际先进水平，"
          "集群品牌在全球范围内形成较强影响力。"),
    ("h1", "二、构建开放协同的创新网络"),
    ("p", "（一）深化产学研协同创新。支持链主企业牵头，联合江海大学、市工业技术研究院等高校院所"
          "组建创新联合体，围绕高精度减速器、工业控制软件、智能传感器等关键核心技术开展联合攻关。"
          "对创新联合体承担的重大攻关项目，市财政按照项目总投入的百分之三十给予支持，最高不超过"
          "两千万元。"),
    ("p", "（二）建设共性技术平台。布局建设智能装备中试验证平台、检验检测认证平台和工业互联网"
          "标识解析节点，推动大型科研仪器向集群内中小企业开放共享。平台运营绩效评价优秀的，给予"
          "最高五百万元运营补助。"),
    ("p", "（三）推动大中小企业融通发展。组织链主企业发布技术需求和配套清单，开展供需对接活动，"
          "支持中小企业进入链主企业供应链，形成分工协作、利益共享的产业生态。"),
    ("h1", "三、做强集群发展促进机构"),
    ("p", "（四）完善促进机构治理结构。支持智能装备产业集群发展促进机构按照市场化原则运行，"
          "建立由企业、高校院所、金融机构代表组成的理事会，设立专家咨询委员会，配备专职运营团队。"
          "促进机构负责制定集群发展战略、组织协同创新、提供公共服务和开展国际合作。"),
    ("p", "（五）健全成员互信机制。促进机构应当建立成员单位信用档案和合作公约，推广知识产权共享"
          "协议范本，探索建立专利池，完善守信激励和失信约束措施，增强成员之间的长期信任。"),
    ("h1", "四、强化要素保障"),
    ("p", "（六）加大金融支持。发挥市政府引导基金作用，设立规模五十亿元的智能装备产业集群基金；"
          "鼓励银行机构开展知识产权质押融资和供应链金融业务，对集群中小企业获得的相关贷款给予贴息；"
          "支持符合条件的集群企业上市融资。"),
    ("p", "（七）落实税收优惠。全面落实研发费用加计扣除、高新技术企业所得税优惠和首台（套）"
          "重大技术装备进口税收政策，简化办理流程，确保符合条件的集群企业应享尽享。"),
    ("p", "（八）扩大示范应用。发布智能装备应用场景清单，支持首台（套）装备在本市重点工程中示范"
          "应用，对购买首台（套）装备的用户单位给予保险补偿；政府投资项目在同等条件下优先采购本市"
          "集群企业的创新产品。"),
    ("p", "（九）加强人才引育。实施集群领军人才计划，支持企业与职业院校共建产业学院，弘扬企业家"
          "精神和工匠精神，对引进的高层次人才在住房、子女入学等方面给予保障。"),
    ("h1", "五、加强组织实施"),
    ("p", "各区、各部门要把建设世界级智能装备产业集群作为推动高质量发展的重要任务，明确责任分工，"
          "加强督促检查。市工业和信息化局会同有关部门对本意见落实情况开展年度评估，并向市人民政府"
          "报告。本意见自印发之日起施行。"),
    ("right", "江海市人民政府"),
    ("right", "2023年4月18日"),
]

ZH_CID_BLOCKS = [
    ("title", "关于开展集群发展促进机构能力提升培训的通知"),
    ("p0", "各集群发展促进机构："),
    ("p", "为提升集群发展促进机构的专业化运营水平，市工业和信息化局定于2024年6月举办集群促进机构"
          "能力提升培训班，现将有关事项通知如下。"),
    ("p", "一、培训内容。集群战略制定、产学研合作项目组织、成员服务设计、国际集群合作和集群管理"
          "绩效评价等。"),
    ("p", "二、参训对象。各集群促进机构负责人及专职工作人员，每家机构不超过三人。"),
    ("p", "三、有关要求。请各机构于5月31日前报送参训人员名单。培训不收取任何费用。"),
]

ZH_SCAN_PARAS = [
    "江海市集群促进机构年度工作要点",
    "一、深化产学研合作。组织集群内龙头企业与高等学校、科研院所开展技术对接活动不少于十二场，"
    "推动共建联合实验室和中试平台，促进科技成果在集群内转化应用。",
    "二、完善信任与利益共享机制。制定成员单位合作公约，推广知识产权共享协议范本，建立成员信用档案，"
    "对守信企业在项目申报中给予优先推荐。",
]

EN_SCAN_PARAS = [
    "Cluster Board Minutes, 12 March 2019",
    "The board approved the work plan for the coming year. The cluster organisation will run four "
    "matchmaking events between member companies and the two regional universities, and will "
    "launch a shared testing service for small firms.",
    "Members asked the management to prepare a fair rule for sharing the costs and benefits of "
    "joint projects, and to report on progress towards the gold cluster management label.",
]

EN_GARBAGE_PARAS = [
    "Annex 2: Cluster Support Measures",
    "Small and medium-sized members of a recognised cluster may receive innovation vouchers of up "
    "to 10,000 euro for services bought from accredited research centres. Vouchers are awarded "
    "every quarter on a first come, first served basis.",
    "Joint applications by three or more members are preferred. The cluster organisation helps "
    "members to find partners and checks that each consortium has agreed how results are shared.",
]

EN_ENC_USER = [
    ("title", "Draft Cluster Partnership Agreement"),
    ("p", "1. The parties agree to cooperate within the Vellmark Photonics Cluster in research, "
          "training and joint access to foreign markets."),
    ("p", "2. Results generated jointly belong to the parties in proportion to their contributions, "
          "unless the project agreement provides otherwise."),
    ("p", "3. Each party shall treat information received from the other parties as confidential."),
]
EN_ENC_OWNER = [
    ("title", "Annual Report of the Cluster Organisation 2022"),
    ("p", "In 2022 the cluster organisation welcomed 37 new members and organised 48 events, "
          "including two trade missions to North America."),
    ("p", "Twelve collaborative projects between firms and research institutes were started, "
          "with a total budget of 8.4 million euro."),
]

ZH_VERTICAL_TITLE = "集群发展倡议书"
ZH_VERTICAL_BODY = ("我们倡议集群内企业、高等学校和科研院所坚持诚信合作、互利共赢，共同建设开放共享的"
                    "创新网络，携手打造具有全球影响力的世界级产业集群。")

# ---- added for extraction (issue 3): running headers over two columns, late fake bold, mojibake

EN_RIS_HEADER = "Vellmark Regional Innovation Strategy 2030"
EN_RIS_FOOTER = "Page {page} of 2"
EN_RIS_BLOCKS = [
    ("title", "Regional Innovation Strategy for Smart Specialisation 2030"),
    ("h1", "1. Where the region stands"),
    ("p", "Vellmark is a region of mid-sized manufacturing firms. Its strongest clusters are precision "
          "engineering, food processing and photonics, which together employ one in five workers. Most "
          "firms are small, export a large share of their output and buy research from universities "
          "only occasionally."),
    ("p", "The region spends 1.9 per cent of its gross domestic product on research and development, "
          "below the national average. Business spending is concentrated in a few large firms, and "
          "cooperation between small firms and the two regional universities remains limited."),
    ("p", "Interviews with cluster managers showed that firms value the networks that cluster "
          "organisations build, but that they miss shared facilities for testing new products and "
          "support when they enter foreign markets for the first time."),
    ("h1", "2. Priorities"),
    ("p", "The strategy concentrates public support on three domains where the region combines "
          "industrial strength with research excellence: smart production technologies, healthy food "
          "and applied photonics. Each domain is led by a steering group in which companies hold the "
          "majority of seats."),
    ("p", "Within each domain the region will fund joint projects of firms and research institutes, "
          "open its pilot lines and testing centres to small members and help cluster organisations "
          "to build partnerships with clusters in other European regions."),
    ("p", "Projects are selected in open calls. Applicants must show how the results will be shared "
          "between the partners, since trust between firms and institutes depends on clear rules for "
          "intellectual property, costs and benefits."),
    ("h1", "3. Governance and monitoring"),
    ("p", "An innovation board with members from business, research and government steers the "
          "strategy. It meets twice a year, reviews the indicators of every domain and may move "
          "money between domains when one of them does not perform."),
    ("p", "Every two years an independent evaluation will assess whether the strategy has increased "
          "business spending on research, the number of joint projects and the international "
          "visibility of the regional clusters."),
    ("p", "The first evaluation is due in 2026; its results will be published together with the "
          "decisions of the board."),
]
EN_RIS_HYPHENATION = {
    "manufacturing": "man-u-fac-tur-ing", "organisations": "or-gan-isa-tions",
    "international": "in-ter-na-tion-al", "partnerships": "part-ner-ships",
    "development": "de-vel-op-ment", "occasionally": "oc-ca-sion-al-ly",
    "technologies": "tech-nol-o-gies", "independent": "in-de-pen-dent",
    "intellectual": "in-tel-lec-tual", "concentrated": "con-cen-trat-ed",
    "universities": "uni-ver-si-ties", "institutes": "in-sti-tutes",
}

ZH_GBK_MOJIBAKE_PARAS = [
    "关于开展产业集群发展情况调查的通知",
    "各区工业和信息化主管部门：",
    "为掌握全市产业集群发展情况，决定开展集群发展情况调查。请于六月底前报送集群企业名单。",
]

# ---- plain-text files -------------------------------------------------------

ZH_GB18030_PARAS = [
    "江海市推进产业集群数字化转型实施方案",
    "为加快产业集群数字化转型，提升集群协同创新能力，制定本方案。",
    "一、建设集群工业互联网平台。依托集群发展促进机构，建设面向集群企业的工业互联网平台，"
    "推动设计、生产、物流等数据在产业链上下游之间共享。",
    "二、开展数字化转型诊断服务。采取政府购买服务方式，委托第三方服务机构为集群内中小企业"
    "免费提供数字化转型诊断，每年服务企业不少于二百家。",
    "三、培育数字化转型标杆。遴选江海䶮光新材料有限公司、江海㮾源精密机械有限公司等一批企业"
    "建设智能工厂示范项目，总结推广可复制的经验做法。",
    "四、本方案由市工业和信息化局负责解释。",
]

ZH_GBK_PARAS = [
    "关于组织申报2021年度产业集群协同创新项目的通知",
    "各区工业和信息化主管部门，各有关单位：",
    "为推动产业集群内企业与高等学校、科研院所开展产学研合作，现组织申报2021年度产业集群协同创新"
    "项目。有关事项通知如下：",
    "一、支持方向。重点支持由集群内企业牵头、联合高校院所共同实施的关键技术攻关项目，单个项目"
    "最高支持三百万元。",
    "二、申报条件。项目牵头单位应当为集群发展促进机构的成员单位，并与合作单位签订合作协议，明确"
    "知识产权归属和利益分配方式。",
    "三、联系方式。市工业和信息化局产业集群处，联系人：李喆，电话：0000-12345678。",
]

ZH_BIG5_PARAS = [
    "北嶼市產業聚落創新推動計畫",
    "壹、計畫目標",
    "為強化本市精密機械與智慧製造產業聚落之國際競爭力，促進產學研合作，特訂定本計畫。",
    "貳、推動策略",
    "一、成立產業聚落推動辦公室，整合廠商、大學及研究機構資源，辦理技術媒合與人才培育。",
    "二、設置共同研發實驗室，提供中小企業試量產及檢測驗證服務。",
    "三、協助聚落廠商拓展海外市場，參與國際展覽並建立海外行銷據點。",
]

ZH_TRAD_BOM_PARAS = [
    "創新及科技產業群聚發展資助計劃",
    "本計劃旨在支持本地創新科技產業群聚的發展，鼓勵企業、大學及研發中心建立長期合作關係。",
    "一、資助範圍：群聚推廣機構的營運開支、共用研發設施及國際交流活動。",
    "二、申請資格：申請機構須由不少於十間企業及一所大學共同組成，並訂立成果分享協議。",
    "三、評審準則：評審委員會將考慮項目的創新程度、合作網絡的廣度及對產業的長遠貢獻。",
]

EN_CRLF_PARAS = [
    "Regional Cluster Policy Review \u2014 Summary",
    "The review covered eleven cluster initiatives funded by the Region between 2015 and 2019. "
    "Most initiatives succeeded in building networks between firms and research centres, but "
    "only four developed a clear strategy for technological innovation and international "
    "cooperation.",
    "The review recommends that future funding be tied to the quality of cluster management and "
    "to measurable results, and that cluster organisations be assessed against the best "
    "performing clusters in Europe.",
    "The recommendations were adopted by the Regional Council on 4 June 2020.",
]


# =========================================================================== PDF helpers

def cjk_doc(all_text: str, **kw) -> PdfDoc:
    """A PdfDoc with the fonts 'song' (Noto Serif CJK SC regular, for body text) and
    'hei' bold (Noto Sans CJK SC bold, for titles and headings)."""
    kw.setdefault("author", "textmine test data")
    doc = PdfDoc(**kw)
    doc.add_cjk_family("song", all_text, serif=True, styles=("",))
    doc.add_cjk_family("hei", all_text, serif=False, styles=("B",))
    return doc


ZH_STYLES = {
    "title": Style("hei", 18, "B", leading=30, after=8, align="C"),
    "center": Style("song", 13, leading=24, after=6, align="C"),
    "h1": Style("hei", 14, "B", leading=26, before=4),
    "p": Style("song", 13, leading=23, indent=26),
    "p0": Style("song", 13, leading=23),
    "right": Style("song", 13, leading=23, align="R"),
}


def draw_blocks(doc: PdfDoc, blocks, styles, **kw) -> None:
    for kind, text in blocks:
        doc.block(text, styles[kind], kind=kind,
                  keep_with_next=1 if kind.startswith("h") else 0, **kw)


def spanning_blocks(doc: PdfDoc) -> list[int]:
    """Indices (in drawing order) of the blocks whose lines continue on the next page."""
    out, i = [], 0
    for n, (_kind, _text, lines) in enumerate(doc.blocks):
        if len({doc.drawn[i + k][0] for k in range(len(lines))}) > 1:
            out.append(n)
        i += len(lines)
    return out


# =========================================================================== PDFs

def make_zh_text() -> bytes:
    all_text = ZH_TEXT_TITLE + ZH_TEXT_SUB + "".join(ZH_TEXT_ARTICLES)
    doc = cjk_doc(all_text, title=ZH_TEXT_TITLE)
    doc.new_page()
    doc.block(ZH_TEXT_TITLE, ZH_STYLES["title"])
    doc.block(ZH_TEXT_SUB, Style("song", 11, leading=20, after=12, align="C"))
    st = Style("song", 14, leading=26, indent=28, after=2)
    for art in ZH_TEXT_ARTICLES:
        doc.block(art, st)
    assert doc.pages_count == 2, doc.pages_count
    spanning = spanning_blocks(doc)
    assert spanning, "no article continues across the page break"
    record("zh_text.pdf", lang="zh", pages=2,
           paragraphs=[ZH_TEXT_TITLE, ZH_TEXT_SUB] + ZH_TEXT_ARTICLES,
           continued_across_pages=spanning,
           notes="Simplest Chinese case: one column, no running header or footer, embedded "
                 "TrueType subset (Identity-H, ToUnicode present). Each article is indented and "
                 "wraps over several lines; lines join with no space. After 第X条 stands an "
                 "ideographic space U+3000 (pypdfium2 returns it; pdfplumber turns it into an "
                 "ASCII space). The article listed (by paragraph index) in continued_across_pages "
                 "starts on page 1 and ends on page 2: join it without a break.")
    return doc.to_bytes()


def make_en_text() -> bytes:
    doc = PdfDoc(title="Cluster Excellence Programme 2021-2027", author="textmine test data",
                 lang="en", margins=(72, 79, 72, 79), header_text=EN_TEXT_HEADER,
                 header_style=Style("sans", 9, align="C"), header_rule=True,
                 footer_format="Page {page}", footer_style=Style("sans", 9, align="C"))
    doc.add_dejavu_family("serif", serif=True)
    doc.add_dejavu_family("sans", serif=False)
    styles = {"title": Style("sans", 17, "B", leading=26, after=10),
              "h1": Style("sans", 12.5, "B", leading=18.5, before=8, after=2),
              "p": Style("serif", 11.5, leading=19, after=6)}
    doc.new_page()
    hyphenated = []
    for kind, text in EN_TEXT_BLOCKS:
        lines = doc.block(text, styles[kind], kind=kind, hyphenation=EN_HYPHENATION,
                          keep_with_next=1 if kind == "h1" else 0)
        hyphenated += [line for line, joiner in lines if joiner == "-"]
    assert doc.pages_count == 2, doc.pages_count
    assert hyphenated, "no hyphenated line end was produced"
    spanning = spanning_blocks(doc)
    assert spanning, "no paragraph continues across the page break"
    record("en_text.pdf", lang="en", pages=2,
           paragraphs=[text for _k, text in EN_TEXT_BLOCKS],
           continued_across_pages=spanning,
           furniture=[EN_TEXT_HEADER, "Page 1", "Page 2"],
           hyphenated_line_ends=hyphenated,
           notes="Running header (with a rule below it) and 'Page N' footer on both pages are "
                 "furniture and must not appear in paragraphs. Lines ending in a hyphen listed "
                 "in hyphenated_line_ends are word breaks: join without the hyphen and without a "
                 "space. Paragraphs listed (by index) in continued_across_pages start on one "
                 "page and end on the next. En/em dashes in title and headings are real "
                 "characters.")
    return doc.to_bytes()


def make_zh_fake_bold() -> bytes:
    all_text = "".join(t for _k, t in ZH_FAKE_BOLD_BLOCKS)
    doc = cjk_doc(all_text, title=ZH_FAKE_BOLD_BLOCKS[0][1])
    doc.new_page()
    body = Style("song", 13, leading=23, indent=26, after=2)
    for kind, text in ZH_FAKE_BOLD_BLOCKS:
        if kind == "p":
            doc.block(text, body)
            continue
        # fake bold as Word/WPS write it: the same string painted again, shifted by a
        # fraction of a point (title: three passes, chapter headings: two passes)
        size, offsets = (20, [(0, 0), (0.45, 0), (0.45, 0.3)]) if kind == "title" else \
                        (15, [(0, 0), (0.4, 0)])
        doc.set_font("song", "", size)
        doc.cy += 8
        x = doc.m_left + (doc.text_width - doc.get_string_width(text)) / 2 if kind == "title" \
            else doc.m_left
        baseline = doc.cy + size * 1.05
        for dx, dy in offsets:
            doc.text(x + dx, baseline + dy, text)
        doc.cy += size * 1.8
    record("zh_fake_bold.pdf", lang="zh", pages=1,
           paragraphs=[t for _k, t in ZH_FAKE_BOLD_BLOCKS],
           notes="Title painted 3 times, chapter headings 2 times at +0.3-0.45 pt offsets "
                 "(regular font, no real bold). pdfplumber/pdfminer return doubled/tripled "
                 "characters (第第一一章章 / 江江江海海海...); pdfium (pypdfium2) already drops "
                 "the duplicates. pdfplumber's page.dedupe_chars() repairs it. Body text is "
                 "normal. Chapter headings have an ASCII space between 第X章 and the name.")
    return doc.to_bytes()


def make_zh_letter_spaced() -> bytes:
    body_texts = [t for _k, t in ZH_SPACED_BODY]
    all_text = ZH_SPACED_TITLE + ZH_SPACED_ISSUER + ZH_SPACED_DATE + "".join(body_texts)
    doc = cjk_doc(all_text, title=ZH_SPACED_TITLE)
    doc.new_page()

    def spaced_line(text, size, spacing, family="hei", style="B"):
        # character spacing with the Tc operator, centred
        doc.set_font(family, style, size)
        doc.set_char_spacing(spacing)
        width = doc.get_string_width(text)  # fpdf2 includes char spacing in the width
        doc.text(doc.m_left + (doc.text_width - width) / 2, doc.cy + size * 1.05, text)
        doc.set_char_spacing(0)
        doc.cy += size * 2

    spaced_line(ZH_SPACED_TITLE, 20, 9)            # Tc 9 pt
    spaced_line(ZH_SPACED_ISSUER, 14, 12, "song", "")  # Tc 12 pt
    # the date: each character placed on its own (absolute positions, one text object each)
    doc.set_font("song", "", 14)
    step = 14 + 10
    x = doc.m_left + (doc.text_width - step * len(ZH_SPACED_DATE) + 10) / 2
    for ch in ZH_SPACED_DATE:
        doc.text(x, doc.cy + 14 * 1.05, ch)
        x += step
    doc.cy += 40
    styles = {"h1": Style("hei", 14, "B", leading=26, before=6),
              "p": Style("song", 13, leading=23, indent=26)}
    draw_blocks(doc, ZH_SPACED_BODY, styles)
    record("zh_letter_spaced.pdf", lang="zh", pages=1,
           paragraphs=[ZH_SPACED_TITLE, ZH_SPACED_ISSUER, ZH_SPACED_DATE] + body_texts,
           notes="Title drawn with character spacing Tc=9 pt, issuer line with Tc=12 pt, date "
                 "line with each character placed separately 10 pt apart. No space characters "
                 "exist in these lines. pdfplumber inserts spaces in all three "
                 "('推 动 产 业 ...'); pypdfium2 keeps the Tc lines intact but inserts spaces in "
                 "the separately placed date ('二 〇 二 三 年 ...'). The two body paragraphs "
                 "below are normal.")
    return doc.to_bytes()


def make_two_column(name: str, lang: str, title: str, left: list[str], right: list[str],
                    stream_order: str) -> bytes:
    """One page, full-width title, two columns.  ``stream_order`` is the order in which the
    lines are written into the content stream: "columns" (left column, then right column,
    as Word writes them) or "rows" (line by line across both columns, top to bottom)."""
    if lang == "zh":
        doc = cjk_doc(title + "".join(left + right), title=title)
        tstyle = Style("hei", 17, "B", leading=28, after=14, align="C")
        pstyle = Style("song", 11, leading=19, indent=22, after=6)
    else:
        doc = PdfDoc(title=title, author="textmine test data", lang="en")
        doc.add_dejavu_family("serif", serif=True)
        doc.add_dejavu_family("sans", serif=False)
        tstyle = Style("sans", 15, "B", leading=24, after=14, align="C")
        pstyle = Style("serif", 10.5, leading=15, after=8)
    doc.new_page()
    doc.block(title, tstyle)
    gap = 24
    col_w = (doc.text_width - gap) / 2
    doc.set_font(pstyle.family, pstyle.style, pstyle.size)
    placed = []  # (top of line, x, text)
    for x, paras in ((doc.m_left, left), (doc.m_left + col_w + gap, right)):
        y = doc.cy
        for para in paras:
            lines = wrap(para, col_w, doc.get_string_width, first_indent=pstyle.indent)
            for n, (line, _joiner) in enumerate(lines):
                placed.append((y, x + (pstyle.indent if n == 0 else 0), line))
                y += pstyle.line_height
            y += pstyle.after
    if stream_order == "rows":
        placed.sort(key=lambda t: (round(t[0], 1), t[1]))
    for y, x, line in placed:
        doc.text(x, y + pstyle.size * 1.05, line)
    order = ("column by column (left column first), as Word writes it: pypdfium2 returns the "
             "right order, pdfplumber's extract_text() interleaves lines of both columns"
             if stream_order == "columns" else
             "row by row across both columns: both pypdfium2 and pdfplumber's extract_text() "
             "return interleaved lines; only a layout analysis (x positions / column gap) "
             "restores the order")
    record(name, lang=lang, pages=1, paragraphs=[title] + left + right,
           columns={"left": left, "right": right},
           notes="Full-width title, then two columns (gap 24 pt). Reading order is the whole "
                 "left column, then the whole right column. The content stream has the lines "
                 f"{order}.")
    return doc.to_bytes()


def make_zh_headers_footers() -> bytes:
    all_text = ZH_HF_HEADER + "".join(t for _k, t in ZH_HF_BLOCKS) + "—0123456789 "
    doc = cjk_doc(all_text, title=ZH_HF_BLOCKS[1][1], header_text=ZH_HF_HEADER,
                  header_style=Style("song", 12, align="C"), header_rule=True,
                  footer_format="— {page} —", footer_style=Style("song", 12, align="C"))
    doc.new_page()
    styles = dict(ZH_STYLES)
    # official-document (公文) proportions: 16 pt body, 28.9 pt line pitch
    styles["p"] = Style("song", 16, leading=28.9, indent=32)
    styles["p0"] = Style("song", 16, leading=28.9)
    styles["h1"] = Style("hei", 16, "B", leading=28.9)
    styles["right"] = Style("song", 16, leading=28.9, align="R")
    styles["title"] = Style("hei", 20, "B", leading=34, after=10, align="C")
    draw_blocks(doc, ZH_HF_BLOCKS, styles)
    assert doc.pages_count == 3, doc.pages_count
    spanning = spanning_blocks(doc)
    assert len(spanning) >= 2, spanning
    record("zh_headers_footers.pdf", lang="zh", pages=3,
           paragraphs=[t for _k, t in ZH_HF_BLOCKS],
           continued_across_pages=spanning,
           furniture=[ZH_HF_HEADER, "— 1 —", "— 2 —", "— 3 —"],
           notes="Running header 江海市人民政府文件 (with a rule) and footer '— N —' (U+2014 em "
                 "dashes, ASCII spaces) on every page are furniture. The paragraphs listed in "
                 "continued_across_pages run across a page break and must be joined without a "
                 "break or space. 〔〕 in the "
                 "document number are U+3014/U+3015.")
    return doc.to_bytes()


def make_zh_cid_no_unicode() -> bytes:
    all_text = "".join(t for _k, t in ZH_CID_BLOCKS)
    doc = cjk_doc(all_text, title="")
    doc.new_page()
    draw_blocks(doc, ZH_CID_BLOCKS, ZH_STYLES)
    # make the text layer unmappable: empty the 'cmap' table of the embedded fonts
    # (after all text is drawn, so fpdf2 already knows the glyph ids) ...
    for font in doc.fonts.values():
        if hasattr(font, "ttfont"):
            font.ttfont["cmap"].tables = []
    data = doc.to_bytes()
    # ... and blank out the /ToUnicode references (same length: xref offsets stay valid)
    data = re.sub(rb"/ToUnicode \d+ 0 R", lambda m: b" " * len(m.group(0)), data)
    assert b"/ToUnicode" not in data
    record("zh_cid_no_unicode.pdf", lang="zh", pages=1,
           paragraphs=[t for _k, t in ZH_CID_BLOCKS],
           text_layer="unusable",
           notes="Type0/Identity-H TrueType subset fonts without /ToUnicode and with an empty "
                 "cmap table, so character codes cannot be mapped to Unicode. pdfplumber gives "
                 "'(cid:N)' sequences, pypdfium2 gives control characters (\\x01\\x02...). The "
                 "page renders correctly, so OCR recovers the text. The extractor must warn "
                 "(and may fall back to OCR); the paragraphs are the true text for an OCR check.")
    return data


def _scan_page(paras: list[str], font_path: str, font_index: int, size_pt: float,
               seed: int, dpi: int = 300, angle: float = 0.3):
    """Render paragraphs onto an A4 page image like a 300 dpi black-and-white scan.
    Returns (1-bit image, list of (line, left, baseline_y, height) in pixels)."""
    w, h = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(font_path, size=round(size_pt / 72 * dpi), index=font_index)
    x0, y = round(25 / 25.4 * dpi), round(30 / 25.4 * dpi)
    line_h = round(size_pt * 1.8 / 72 * dpi)
    placed = []
    for n, para in enumerate(paras):
        for line, _j in wrap(para, w - 2 * x0, font.getlength):
            draw.text((x0, y), line, font=font, fill=0)
            placed.append((line, x0, y, font.size))
            y += line_h
        y += line_h // 3 if n else line_h // 2
    img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)  # slightly skewed
    rnd = random.Random(seed)
    px = img.load()
    for _ in range(2500):  # dust specks
        px[rnd.randrange(w), rnd.randrange(h)] = 0
    return img.point(lambda v: 0 if v < 150 else 255).convert("1"), placed


def _image_pdf(img, title: str, lang: str, overlay=None) -> bytes:
    doc = PdfDoc(title=title, author="textmine test data", lang=lang)
    doc.new_page()
    doc.image(img, x=0, y=0, w=doc.w, h=doc.h)
    if overlay:
        overlay(doc)
    return doc.to_bytes()


def make_zh_scanned() -> bytes:
    img, _ = _scan_page(ZH_SCAN_PARAS, str(NOTO_DIR / "NotoSerifCJK-Regular.ttc"),
                        NOTO_INDEX["SC"], 14, seed=7)
    record("zh_scanned.pdf", lang="zh", pages=1, paragraphs=ZH_SCAN_PARAS, ocr=True,
           notes="Image-only page (1-bit, 300 dpi, rotated 0.3 degrees, dust specks); no text "
                 "layer at all. Needs OCR (tesseract -l chi_sim); compare with a tolerance "
                 "(character accuracy, whitespace removed). tesseract 5 / chi_sim gets about "
                 "99% of characters right.")
    return _image_pdf(img, "scan", "zh-CN")


def make_en_scanned() -> bytes:
    img, _ = _scan_page(EN_SCAN_PARAS, dejavu(serif=True), 0, 12, seed=11)
    record("en_scanned.pdf", lang="en", pages=1, paragraphs=EN_SCAN_PARAS, ocr=True,
           notes="Image-only page (1-bit, 300 dpi, rotated 0.3 degrees, dust specks); no text "
                 "layer. Needs OCR (tesseract -l eng); compare with a tolerance.")
    return _image_pdf(img, "scan", "en")


def _garble(text: str, rnd: random.Random) -> str:
    """Turn text into something that looks like a very bad OCR layer."""
    junk = "«»*^~%#@|!lI1i;:,.'`rnmvwce3E5SaB0tTfj/\\"
    words = []
    for word in text.split(" "):
        if rnd.random() < 0.2:
            words.append(word)
        else:
            words.append("".join(rnd.choice(junk) if rnd.random() < 0.8 else c for c in word))
    return " ".join(words)


def make_en_garbage_text_layer() -> bytes:
    img, placed = _scan_page(EN_GARBAGE_PARAS, dejavu(serif=True), 0, 12, seed=13)
    rnd = random.Random(2019)
    garbage_lines = [_garble(line, rnd) for line, *_ in placed]

    def overlay(doc: PdfDoc):
        doc.add_font("sans", "", dejavu(serif=False))
        scale = doc.w / img.width  # pt per pixel
        doc.text_mode = TextMode.INVISIBLE  # render mode 3, as OCR layers are written
        for (_line, x, y, size_px), junk in zip(placed, garbage_lines):
            doc.set_font("sans", "", size_px * scale)
            doc.text(x * scale, (y + size_px * 0.9) * scale, junk)
        doc.text_mode = TextMode.FILL

    record("en_garbage_text_layer.pdf", lang="en", pages=1, paragraphs=EN_GARBAGE_PARAS,
           ocr=True, text_layer="garbage",
           garbage_text_layer=garbage_lines,
           notes="Scanned-looking image page plus an invisible (render mode 3) text layer, one "
                 "line per image line, that is mostly junk characters with a few correct words "
                 "(like a failed OCR run). Extraction returns the junk; the extractor must "
                 "notice (e.g. share of dictionary words, odd symbols) and OCR the image.")
    return _image_pdf(img, "Annex 2", "en", overlay)


def _simple_en_pdf(blocks, title: str) -> PdfDoc:
    # no /Lang: fpdf2 would write it unencrypted, which pdfminer cannot decrypt
    doc = PdfDoc(title=title, author="textmine test data", lang=None)
    doc.add_dejavu_family("serif", serif=True)
    doc.new_page()
    styles = {"title": Style("serif", 16, "B", leading=26, after=8),
              "p": Style("serif", 11.5, leading=18.5, after=6)}
    draw_blocks(doc, blocks, styles)
    return doc


def make_encrypted_user_pw() -> bytes:
    doc = _simple_en_pdf(EN_ENC_USER, "Draft Cluster Partnership Agreement")
    doc.set_encryption(owner_password="textmine-owner", user_password="secret",
                       encryption_method=EncryptionMethod.AES_128)
    record("encrypted_user_pw.pdf", lang="en", pages=1, password="secret",
           owner_password="textmine-owner",
           paragraphs=[t for _k, t in EN_ENC_USER],
           error_without_password="encrypted: a password is required to open it",
           notes="AES-128, user password 'secret', owner password 'textmine-owner'. Without a "
                 "password pypdfium2 raises PdfiumError (password error) and pdfplumber raises "
                 "PDFPasswordIncorrect; with password='secret' both read it.")
    return doc.to_bytes()


def make_encrypted_owner_only() -> bytes:
    doc = _simple_en_pdf(EN_ENC_OWNER, "Annual Report of the Cluster Organisation 2022")
    doc.set_encryption(owner_password="textmine-owner", user_password="",
                       encryption_method=EncryptionMethod.RC4,
                       permissions=AccessPermission.PRINT_LOW_RES | AccessPermission.PRINT_HIGH_RES)
    record("encrypted_owner_only.pdf", lang="en", pages=1, password="",
           paragraphs=[t for _k, t in EN_ENC_OWNER],
           notes="RC4-128 encryption with an empty user password and an owner password; "
                 "permissions allow printing only (no copying/extraction flag). Opens without a "
                 "password; pdfplumber and pypdfium2 extract it normally. A faithful extractor "
                 "reads it (the permission flags are advisory).")
    return doc.to_bytes()


def make_vertical_zh() -> bytes:
    doc = cjk_doc(ZH_VERTICAL_TITLE + ZH_VERTICAL_BODY, title=ZH_VERTICAL_TITLE)
    doc.new_page()
    size, advance, col_step, per_col = 16, 22, 32, 14
    x = doc.w - doc.m_right - size  # first column at the right
    top = doc.m_top + 20

    def column_text(text, x, font, style):
        doc.set_font(font, style, size)
        y = top
        for ch in text:
            cw = doc.get_string_width(ch)
            doc.text(x + (size - cw) / 2, y + size * 0.88, ch)
            y += advance

    column_text(ZH_VERTICAL_TITLE, x, "hei", "B")
    x -= col_step * 1.5
    body = ZH_VERTICAL_BODY
    columns = [body[i:i + per_col] for i in range(0, len(body), per_col)]
    for col in columns:
        column_text(col, x, "song", "")
        x -= col_step
    record("vertical_zh.pdf", lang="zh", pages=1,
           paragraphs=[ZH_VERTICAL_TITLE, ZH_VERTICAL_BODY],
           columns=[ZH_VERTICAL_TITLE] + columns,
           notes="Vertical writing (top to bottom, columns right to left) simulated with a "
                 "horizontal font: every character is a separate text object placed below the "
                 "previous one (no vertical CMap, no rotated punctuation). The title is the "
                 "rightmost column; the body runs over the following columns, "
                 f"{per_col} characters each. Naive extractors put one character per line or "
                 "read rows across the columns.")
    return doc.to_bytes()


def make_en_two_column_headers() -> bytes:
    """Two A4 pages of a strategy in two columns, as Word writes them (left column, then right
    column), under a running header and a 'Page N of 2' footer. Paragraphs run on from the
    left column into the right one and from page 1 to page 2."""
    doc = PdfDoc(title="Regional Innovation Strategy 2030", author="textmine test data", lang="en",
                 margins=(72, 60, 72, 60), header_text=EN_RIS_HEADER, header_style=Style("sans", 9, align="C"),
                 header_rule=True, footer_format=EN_RIS_FOOTER, footer_style=Style("sans", 9, align="C"))
    doc.add_dejavu_family("serif", serif=True)
    doc.add_dejavu_family("sans", serif=False)
    styles = {"title": Style("sans", 16, "B", leading=22, after=14, align="C"),
              "h1": Style("sans", 11, "B", leading=15, before=6, after=3),
              "p": Style("serif", 10.5, leading=15, after=7)}
    gap, top_first, column_end = 22, 160, 842 - 380  # short columns, so that the text runs onto page 2
    col_w = (doc.text_width - gap) / 2
    frames = [(page, doc.m_left + k * (col_w + gap)) for page in (1, 2) for k in (0, 1)]
    doc.new_page()
    doc.block(EN_RIS_BLOCKS[0][1], styles["title"])
    placed: dict[int, list] = {1: [], 2: []}  # page -> [(x, baseline, text, font)]
    frame, y = 0, top_first
    spans, hyphenated = [], []
    for n, (kind, text) in enumerate(EN_RIS_BLOCKS[1:], start=1):
        st = styles[kind]
        doc.set_font(st.family, st.style, st.size)
        lines = wrap(text, col_w, doc.get_string_width, EN_RIS_HYPHENATION)
        hyphenated += [line for line, joiner in lines if joiner == "-"]
        y += st.before if y > top_first + 1 else 0
        if kind == "h1" and y + 3 * st.line_height > column_end:
            frame, y = frame + 1, (top_first if frames[frame + 1][0] == 1 else 90)
        frames_used = set()
        for line, _joiner in lines:
            if y + st.line_height > column_end:
                frame, y = frame + 1, (top_first if frames[frame + 1][0] == 1 else 90)
            page, x = frames[frame]
            placed[page].append((x, y + st.size * 1.05, line, st))
            frames_used.add(frame)
            y += st.line_height
        y += st.after
        if len(frames_used) > 1:
            spans.append(n)
    assert frame == 3 and spans, (frame, spans)
    assert hyphenated, "no hyphenated line end"
    for page in (1, 2):
        if page == 2:
            doc.new_page()
        for x, baseline, line, st in placed[page]:  # column by column, as Word writes them
            doc.set_font(st.family, st.style, st.size)
            doc.text(x, baseline, line)
    record("en_two_column_headers.pdf", lang="en", pages=2,
           paragraphs=[text for _k, text in EN_RIS_BLOCKS],
           continued_across_columns=spans,
           furniture=[EN_RIS_HEADER, "Page 1 of 2", "Page 2 of 2"],
           hyphenated_line_ends=hyphenated,
           notes="Two pages, full-width title on page 1, then two columns (gap 22 pt) filled in "
                 "reading order: page 1 left, page 1 right, page 2 left, page 2 right; the content "
                 "stream has the lines column by column. Running header with a rule and a 'Page N "
                 "of 2' footer on both pages are furniture. Paragraphs listed in "
                 "continued_across_columns run from one column (or page) into the next and must be "
                 "joined. Words hyphenated at line ends (hyphenated_line_ends) are joined without "
                 "the hyphen.")
    return doc.to_bytes()


def make_zh_fake_bold_overprint() -> bytes:
    """Fake bold painted in a second pass at the end of the page (after the body text), so the
    duplicate is not next to the original in the content stream."""
    all_text = "".join(t for _k, t in ZH_FAKE_BOLD_BLOCKS)
    doc = cjk_doc(all_text, title=ZH_FAKE_BOLD_BLOCKS[0][1])
    doc.new_page()
    body = Style("song", 13, leading=23, indent=26, after=2)
    overprint = []
    for kind, text in ZH_FAKE_BOLD_BLOCKS:
        if kind == "p":
            doc.block(text, body)
            continue
        size = 20 if kind == "title" else 15
        doc.set_font("song", "", size)
        doc.cy += 8
        x = doc.m_left + (doc.text_width - doc.get_string_width(text)) / 2 if kind == "title" else doc.m_left
        baseline = doc.cy + size * 1.05
        doc.text(x, baseline, text)
        overprint.append((x + 0.4, baseline, text, size))
        doc.cy += size * 1.8
    for x, baseline, text, size in overprint:
        doc.set_font("song", "", size)
        doc.text(x, baseline, text)
    record("zh_fake_bold_overprint.pdf", lang="zh", pages=1,
           paragraphs=[t for _k, t in ZH_FAKE_BOLD_BLOCKS],
           notes="Same text as zh_fake_bold.pdf, but the second (bold) pass of the title and the "
                 "chapter headings is painted at the end of the page, after the body, shifted by "
                 "0.4 pt. PDFium then does not drop the duplicates: pypdfium2 returns the title and "
                 "both headings a second time at the end of the page. Faithful: each heading once.")
    return doc.to_bytes()


def make_zh_gbk_mojibake() -> bytes:
    """Chinese text whose bytes are GBK, shown with a Latin-1 (WinAnsi) standard font: the
    text layer reads as mojibake like '¹ØÓÚ¿ªÕ¹'. (On screen it shows the same Latin letters.)"""
    doc = PdfDoc(title="mojibake", author="textmine test data", lang=None)
    doc.new_page()
    y = 100
    for n, para in enumerate(ZH_GBK_MOJIBAKE_PARAS):
        doc.set_font("helvetica", "", 14 if n == 0 else 11)
        doc.text(72, y, para.encode("gbk").decode("latin-1"))
        y += 30
    record("zh_gbk_mojibake.pdf", lang="zh", pages=1, paragraphs=ZH_GBK_MOJIBAKE_PARAS,
           text_layer="mojibake",
           notes="Each paragraph is one line whose bytes are the GBK encoding of the Chinese text, "
                 "shown with the standard Helvetica font (WinAnsiEncoding), as old tools wrote GBK "
                 "text with a font lacking a Unicode mapping. Text layer: 'ØÓÚ¿ªÕ¹…' (PDFium turns "
                 "the byte 0xAD into '-'). Faithful: recognise GBK read as Latin-1 and decode it.")
    return doc.to_bytes()


# =========================================================================== other formats

def make_text_files() -> None:
    def chinese_txt(paras, indent=""):
        return "\n".join(indent + p if i else p for i, p in enumerate(paras)) + "\n"

    write("zh_gb18030.txt", chinese_txt(ZH_GB18030_PARAS).encode("gb18030"))
    record("zh_gb18030.txt", lang="zh", encoding="gb18030", paragraphs=ZH_GB18030_PARAS,
           notes="Simplified Chinese in GB18030, LF line ends, one paragraph per line. Two "
                 "characters are not in GBK: 䶮 (U+4DAE) is the 2-byte code FE 9F (a user-defined "
                 "slot in GBK, where old tools map it to a private-use character) and 㮾 "
                 "(U+3BBE) the 4-byte code 82 31 B7 39. Decoding as 'gbk' or 'gb2312' fails; "
                 "decode the GB family as gb18030.")

    # GBK, Windows style: CRLF, paragraphs indented with two ideographic spaces
    text = "\r\n".join(("" if i < 2 else IDSP * 2) + p for i, p in enumerate(ZH_GBK_PARAS)) + "\r\n"
    write("zh_gbk.txt", text.encode("gbk"))
    record("zh_gbk.txt", lang="zh", encoding="gbk", paragraphs=ZH_GBK_PARAS,
           notes="Simplified Chinese in GBK with CRLF line ends; body paragraphs start with two "
                 "ideographic spaces (U+3000 U+3000) as first-line indent, which should be "
                 "stripped. Contains 喆 (GBK 0x86B4), which is not in GB2312: a strict 'gb2312' "
                 "decode fails.")

    write("zh_big5.txt", chinese_txt(ZH_BIG5_PARAS).encode("big5"))
    record("zh_big5.txt", lang="zh-Hant", encoding="big5", paragraphs=ZH_BIG5_PARAS,
           notes="Traditional Chinese (Taiwan style, 壹、貳、 headings) in Big5, LF line ends, one "
                 "paragraph per line. Should be converted to Simplified only for matching "
                 "(OpenCC t2s), the stored text stays Traditional.")

    write("zh_trad_bom.txt", ("\ufeff" + chinese_txt(ZH_TRAD_BOM_PARAS)).encode("utf-8"))
    record("zh_trad_bom.txt", lang="zh-Hant", encoding="utf-8-sig", paragraphs=ZH_TRAD_BOM_PARAS,
           notes="Traditional Chinese (Hong Kong style) in UTF-8 with a BOM (EF BB BF); the BOM "
                 "must not end up in the first paragraph.")

    # English: hard-wrapped at 76 columns, one hyphenated word across a line end, CRLF
    lines_out = []
    hyph = {"technological": "tech-no-log-i-cal"}
    for i, p in enumerate(EN_CRLF_PARAS):
        if i:
            lines_out.append("")
        lines_out += [line for line, _j in wrap(p, 76, len, hyph)]
    assert any(line.endswith("-") for line in lines_out)
    write("en_crlf_hyphen.txt", ("\r\n".join(lines_out) + "\r\n").encode("utf-8"))
    record("en_crlf_hyphen.txt", lang="en", encoding="utf-8", paragraphs=EN_CRLF_PARAS,
           raw_lines=lines_out,
           notes="UTF-8 (no BOM), CRLF line ends, paragraphs separated by an empty line and "
                 "hard-wrapped at 76 columns. 'techno-/logical' is "
                 "hyphenated across a line end and must be joined as 'technological'. The em "
                 "dash in the title is U+2014.")


def make_docx_files() -> None:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def set_east_asian(doc, font_name: str):
        for style_name in ("Normal", "Title", "Heading 1", "Heading 2"):
            rpr = doc.styles[style_name].element.get_or_add_rPr()
            rfonts = rpr.find(qn("w:rFonts"))
            if rfonts is None:
                rfonts = rpr.makeelement(qn("w:rFonts"), {})
                rpr.append(rfonts)
            rfonts.set(qn("w:eastAsia"), font_name)

    # ---- zh.docx
    d = docx.Document()
    set_east_asian(d, "宋体")
    d.styles["Normal"].font.size = Pt(14)
    paras: list[str] = []
    labels: dict[int, str] = {}

    def add(text, style=None):
        d.add_paragraph(text, style=style)
        paras.append(text)

    add("江海市产业集群发展促进机构认定办法（试行）", "Title")
    add("第一章　总则", "Heading 1")
    add("第一条　为发挥集群发展促进机构在产业集群治理中的组织、协调和服务作用，推动集群内企业、"
        "高等学校和科研院所深化合作，制定本办法。")
    add("第二条　本办法适用于本市行政区域内集群发展促进机构的认定、评价和管理。")
    add("第二章　认定条件", "Heading 1")
    add("第三条　申请认定的集群发展促进机构应当符合下列条件：")
    items = ["在本市依法登记，具有独立法人资格；",
             "成员单位不少于五十家，其中高等学校和科研院所不少于三家；",
             "设有理事会和专职运营团队，专职人员不少于五名；",
             "近两年组织产学研对接、国际交流等活动不少于十场。"]
    for n, item in enumerate(items, 1):
        labels[len(paras)] = f"{n}."
        add(item, "List Number")
    add("第四条　首批拟认定的促进机构见表1。")
    table_rows = [["集群名称", "主导产业", "促进机构"],
                  ["江海智能装备集群", "工业机器人、数控机床", "江海市智能装备产业促进会"],
                  ["江海生物医药集群", "创新药、医疗器械", "江海生物医药创新联盟"],
                  ["江海新材料集群", "先进高分子材料", "江海新材料产业技术研究院"]]
    table = d.add_table(rows=len(table_rows), cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(table_rows):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    table_after = len(paras) - 1
    add("第三章　附则", "Heading 1")
    add("第五条　本办法自发布之日起施行。")
    save_docx(d, HERE / "zh.docx", title="江海市产业集群发展促进机构认定办法（试行）",
              author="textmine test data", language="zh-CN")
    record("zh.docx", lang="zh", pages=None, paragraphs=paras,
           headings={0: "Title", 1: "Heading 1", 4: "Heading 1", len(paras) - 2: "Heading 1"},
           list_labels=labels, tables=[table_rows], table_after_paragraph=table_after,
           notes="Title/Heading 1 styles for the title and chapters; items of 第三条 use Word's "
                 "automatic numbering (style 'List Number'): the labels 1.-4. are NOT in the "
                 "paragraph text (see list_labels for what Word shows). One 4x3 table (style Table "
                 "Grid) after paragraph index table_after_paragraph; paragraphs exclude the "
                 "table. Ideographic space U+3000 after 第X章/第X条.")

    # ---- en.docx
    d = docx.Document()
    paras = []
    styles: dict[int, str] = {}

    def add_en(text, style=None):
        d.add_paragraph(text, style=style)
        if style:
            styles[len(paras)] = style
        paras.append(text)

    add_en("Photonics Valley Cluster \u2013 Work Programme 2023", "Title")
    add_en("1. Context", "Heading 1")
    add_en("1.1 Photonics Valley brings together 140 companies, two universities and three applied "
           "research institutes. The cluster organisation was founded in 2012 as a non-profit "
           "association owned by its members.")
    add_en("1.2 In 2022 the cluster was awarded the silver label for cluster management "
           "excellence. This work programme prepares the application for the gold label.")
    add_en("2. Priorities", "Heading 1")
    add_en("2.1 Innovation and cooperation", "Heading 2")
    add_en("The organisation will concentrate on three activities:")
    for item in ["matchmaking between start-ups and established manufacturers;",
                 "a shared clean-room and testing facility for small members;",
                 "joint projects with photonics clusters in two other European regions."]:
        add_en(item, "List Bullet")
    add_en("2.2 Budget", "Heading 2")
    add_en("The planned budget by work package is shown below.")
    budget = [["Work package", "Lead", "Budget (EUR)"],
              ["WP1 Networking and matchmaking", "Cluster office", "180,000"],
              ["WP2 Shared testing facility", "University of Applied Sciences", "420,000"],
              ["WP3 International cooperation", "Cluster office", "95,000"]]
    table = d.add_table(rows=len(budget), cols=3)
    table.style = "Table Grid"
    for r, row in enumerate(budget):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    table_after = len(paras) - 1
    add_en("This programme was adopted by the general assembly of members on 15 December 2022.")
    save_docx(d, HERE / "en.docx", title="Photonics Valley Cluster - Work Programme 2023",
              author="textmine test data", language="en-GB")
    record("en.docx", lang="en", pages=None, paragraphs=paras, styles=styles,
           tables=[budget], table_after_paragraph=table_after,
           notes="Title, Heading 1 and Heading 2 styles; paragraph numbers (1.1, 1.2, 2.1 ...) are "
                 "typed into the text; three 'List Bullet' items (Word shows a bullet that is not "
                 "part of the text); one 4x3 table after paragraph index table_after_paragraph, "
                 "excluded from paragraphs.")


ZH_HTML_PARAS = [
    "江海高新区关于推进产学研深度融合的若干措施",
    "为推动区内企业与高等学校、科研院所深度合作，加快科技成果转化，制定以下措施。",
    "一、支持共建新型研发机构。企业与高校院所在区内共建新型研发机构的，按照实际研发投入给予"
    "最高一千万元支持。",
    "二、支持科技成果转化。高校院所科技成果在区内企业实现转化的，按照技术合同成交额的百分之十"
    "给予奖励。",
    "三、完善科技金融服务。设立科技成果转化基金，为合作项目提供股权投资和贷款贴息。",
    "联系人：王喆、赵堃，电话：0000-87654321。",
]

EN_HTML_PARAS = [
    "Cluster Excellence Initiative: Call for Proposals 2020",
    "The Federal Ministry invites cluster organisations to apply for support under the Cluster "
    "Excellence Initiative. The initiative helps clusters that already perform well to reach "
    "international top level.",
    "Who can apply",
    "Cluster organisations with at least 50 members, of which at least 40 are companies, and "
    "with a management team that has worked for three years or more.",
    "What is funded",
    "Strategy development and benchmarking against leading clusters abroad.",
    "Joint research and development projects of cluster members.",
    "Training of cluster managers and international partnering events.",
    "Applications must be submitted by 30 September 2020.",
]


def make_html_files() -> None:
    p = ZH_HTML_PARAS
    zh = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{p[0]}_政策文件_江海高新区管委会</title>
<script type="text/javascript">var _pageId = "zc-2022-0608";</script>
<style type="text/css">.nav li {{ display: inline; }} .footer {{ color: #666; }}</style>
</head>
<body>
<div class="top">江海高新技术产业开发区管理委员会</div>
<div class="nav">
<ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zcwj/">政策文件</a></li><li><a href="/tzgg/">通知公告</a></li><li><a href="/hdjl/">互动交流</a></li></ul>
</div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zcwj/">政策文件</a></div>
<div class="article">
<h1>{p[0]}</h1>
<div class="info">发布日期：2022-06-08&nbsp;&nbsp;来源：江海高新区管委会&nbsp;&nbsp;【字体：大 中 小】</div>
<div class="content">
<p>&nbsp;&nbsp;&nbsp;&nbsp;{p[1]}</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{p[2][:40]}
{p[2][40:]}</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{p[3]}</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{p[4]}</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;{p[5]}</p>
</div>
<div class="share">分享到：微信 微博</div>
</div>
<div class="footer">
<p>版权所有：江海高新技术产业开发区管理委员会　主办单位：江海高新区管委会办公室</p>
<p>网站标识码：0000000000　备案号：江ICP备00000000号</p>
</div>
</body>
</html>
"""
    write("zh.html", zh.replace("\n", "\r\n").encode("gbk"))
    record("zh.html", lang="zh", encoding="gbk (declared gb2312)", paragraphs=ZH_HTML_PARAS,
           furniture=["江海高新技术产业开发区管理委员会", "首页 政务公开 政策文件 通知公告 互动交流",
                      "当前位置：首页 > 政策文件",
                      "发布日期：2022-06-08  来源：江海高新区管委会  【字体：大 中 小】",
                      "分享到：微信 微博",
                      "版权所有：江海高新技术产业开发区管理委员会　主办单位：江海高新区管委会办公室",
                      "网站标识码：0000000000　备案号：江ICP备00000000号"],
           notes="Declared charset gb2312 in a http-equiv meta, actually encoded GBK (CRLF): the "
                 "contact line has 喆 and 堃, which exist only in GBK, so decode gb2312 as "
                 "gbk/gb18030 (as browsers do). Paragraphs start with &nbsp; indentation to be "
                 "stripped; the third paragraph has a source line break inside (join without "
                 "space). Page furniture: top banner, nav list, breadcrumb, info line, share "
                 "line, footer; <script>/<style> content is not text. paragraphs = <h1> + <p> of "
                 "div.content.")

    e = EN_HTML_PARAS
    en = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{e[0]} | Federal Ministry</title>
  <script>window.dataLayer = window.dataLayer || [];</script>
</head>
<body>
  <div id="cookie-banner">This website uses cookies. <button>Accept</button></div>
  <header>
    <a class="logo" href="/">Federal Ministry</a>
    <nav aria-label="Main"><ul><li><a href="/en/">Home</a></li><li><a href="/en/topics/">Topics</a></li><li><a href="/en/funding/">Funding</a></li><li><a href="/en/press/">Press</a></li></ul></nav>
  </header>
  <main>
    <article>
      <h1>{e[0]}</h1>
      <p>{e[1]}</p>
      <h2>{e[2]}</h2>
      <p>{e[3]}</p>
      <h2>{e[4]}</h2>
      <ul>
        <li>{e[5]}</li>
        <li>{e[6]}</li>
        <li>{e[7]}</li>
      </ul>
      <p>{e[8]}</p>
    </article>
  </main>
  <footer>
    <p>&copy; 2020 Federal Ministry. All rights reserved.</p>
    <ul><li><a href="/en/imprint/">Imprint</a></li><li><a href="/en/privacy/">Privacy</a></li></ul>
  </footer>
</body>
</html>
"""
    write("en.html", en.encode("utf-8"))
    record("en.html", lang="en", encoding="utf-8", paragraphs=EN_HTML_PARAS,
           furniture=["This website uses cookies. Accept", "Home Topics Funding Press",
                      "© 2020 Federal Ministry. All rights reserved.", "Imprint Privacy"],
           notes="HTML5, UTF-8 via <meta charset>. Content is <main><article>: h1, h2, p and "
                 "li elements, each one paragraph. Cookie banner, header/nav and footer are "
                 "furniture.")


# =========================================================================== tables

ZH_TABLE_CAPTION = "表1　集群培育重点任务分工"
ZH_TABLE_BEFORE = "第一条　为推进先进制造业集群培育，明确各项重点任务的牵头单位和完成时限，制定本分工方案。"
ZH_TABLE_AFTER = "第二条　各牵头单位应当于每季度末报送任务进展情况。"
ZH_TABLE_ROWS = [
    ["序号", "重点任务", "牵头单位", "完成时限"],
    ["1", "建设集群发展促进机构", "市工业和信息化局", "2024年底"],
    ["2", "组建产业技术创新联盟，推动龙头企业与高等学校联合攻关", "市科技局", "2025年6月"],
    ["3", "完善知识产权保护体系", "市市场监管局", "2025年底"],
]
EN_TABLE_TITLE = "Regional Innovation Budget 2024"
EN_TABLE_BEFORE = ("The regional council funds three lines of cluster support. The amounts below are in "
                   "thousand euros and include co-financing from the partners.")
EN_TABLE_AFTER = "The budget is reviewed every year by the monitoring committee."
EN_TABLE_ROWS = [
    ["Programme", "2022", "2023", "2024"],
    ["Cluster management", "120", "135", "150"],
    ["Testing facilities", "410", "380", "420"],
    ["Vouchers for SMEs", "95", "110", "125"],
    ["Total", "625", "625", "695"],
]


def draw_table(doc: PdfDoc, rows: list[list[str]], widths: list[float], st: Style, *, ruled: bool,
               right: tuple[int, ...] = ()) -> None:
    """Draw a table at the cursor: cells wrapped to their column, ``right`` columns right-aligned,
    rules around every cell when ``ruled``."""
    pad, lh = 5.0, st.line_height
    x0 = doc.m_left
    doc.set_font(st.family, st.style, st.size)
    doc.set_line_width(0.6)
    top = doc.cy
    for row in rows:
        wrapped = [wrap(cell, width - 2 * pad, doc.get_string_width) for cell, width in zip(row, widths)]
        height = max(len(lines) for lines in wrapped) * lh + 2 * pad
        x = x0
        for c, (lines, width) in enumerate(zip(wrapped, widths)):
            for n, (line, _joiner) in enumerate(lines):
                doc._aligned(line, x + pad, width - 2 * pad, doc.cy + pad + n * lh + st.size * 1.05,
                             "R" if c in right else "L")
            x += width
        if ruled:
            doc.line(x0, doc.cy, x0 + sum(widths), doc.cy)
        doc.cy += height
    if ruled:
        doc.line(x0, doc.cy, x0 + sum(widths), doc.cy)
        x = x0
        for width in [0.0, *widths]:
            x += width
            doc.line(x, top, x, doc.cy)
    doc.cy += 12


def make_zh_table_ruled() -> bytes:
    all_text = ZH_TABLE_CAPTION + ZH_TABLE_BEFORE + ZH_TABLE_AFTER + "".join(c for r in ZH_TABLE_ROWS for c in r)
    doc = cjk_doc(all_text, title=ZH_TABLE_CAPTION)
    doc.new_page()
    body = Style("song", 12, leading=21, indent=24, after=10)
    doc.block(ZH_TABLE_BEFORE, body)
    doc.block(ZH_TABLE_CAPTION, Style("hei", 12, "B", leading=21, after=6, align="C"))
    draw_table(doc, ZH_TABLE_ROWS, [40, 220, 120, 80], Style("song", 11, leading=17), ruled=True)
    doc.block(ZH_TABLE_AFTER, body)
    record("zh_table_ruled.pdf", lang="zh", pages=1, table_caption=ZH_TABLE_CAPTION, table_rows=ZH_TABLE_ROWS,
           paragraphs=[ZH_TABLE_BEFORE, ZH_TABLE_CAPTION, *(" | ".join(r) for r in ZH_TABLE_ROWS), ZH_TABLE_AFTER],
           notes="A table ruled around every cell, with a caption above it (表1) and an article before and "
                 "after. Row 3's task wraps over two lines inside its cell: the rules, not the lines, make "
                 "the rows. Expected: one line per row, cells joined by ' | '.")
    return doc.to_bytes()


def make_en_table_unruled() -> bytes:
    doc = PdfDoc(title=EN_TABLE_TITLE, author="textmine test data", lang="en")
    doc.add_dejavu_family("serif", serif=True)
    doc.new_page()
    doc.block(EN_TABLE_TITLE, Style("serif", 16, "B", leading=26, after=8))
    doc.block(EN_TABLE_BEFORE, Style("serif", 11.5, leading=18.5, after=10))
    draw_table(doc, EN_TABLE_ROWS, [190, 70, 70, 70], Style("serif", 11, leading=16), ruled=False, right=(1, 2, 3))
    doc.block(EN_TABLE_AFTER, Style("serif", 11.5, leading=18.5, after=6))
    record("en_table_unruled.pdf", lang="en", pages=1, table_rows=EN_TABLE_ROWS,
           paragraphs=[EN_TABLE_TITLE, EN_TABLE_BEFORE, *(" | ".join(r) for r in EN_TABLE_ROWS), EN_TABLE_AFTER],
           notes="A table without any rules and without a caption: only the alignment of its columns "
                 "(numbers right-aligned) makes it a table. Expected: one line per row, cells joined by ' | '.")
    return doc.to_bytes()


TABLES_HTML_ROWS = [["Cluster", "Lead", "Budget (EUR)"], ["Photonics", "Cluster office", "180,000"],
                    ["海洋装备", "市工业和信息化局", "95,000"]]


def make_tables_html() -> None:
    cells = lambda row, tag: "".join(f"<{tag}>{c}</{tag}>" for c in row)  # noqa: E731
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Cluster budget 2024</title></head>
<body>
<table class="layout"><tr><td>
<h1>Cluster budget 2024</h1>
<p>The council funds the clusters listed below.</p>
<table>
<caption>Table 3: Cluster budgets</caption>
<thead><tr>{cells(TABLES_HTML_ROWS[0], "th")}</tr></thead>
<tbody>{"".join(f"<tr>{cells(r, 'td')}</tr>" for r in TABLES_HTML_ROWS[1:])}</tbody>
</table>
<p>Payments follow the annual report.</p>
<table><tr><td>Contact</td><td>Cluster office<br>Harbour Street 1</td></tr></table>
</td></tr></table>
</body></html>
"""
    write("tables.html", html.encode("utf-8"))
    record("tables.html", lang="en", table_caption="Table 3: Cluster budgets", table_rows=TABLES_HTML_ROWS,
           second_table_rows=[["Contact", "Cluster office Harbour Street 1"]],
           paragraphs=["Cluster budget 2024", "The council funds the clusters listed below.", "Table 3: Cluster budgets",
                       *(" | ".join(r) for r in TABLES_HTML_ROWS), "Payments follow the annual report.",
                       "Contact | Cluster office Harbour Street 1"],
           notes="A page laid out in a one-cell table (not a data table) holding a data table with a "
                 "<caption>, <thead> and <tbody>, and a second small table without caption (Table 2 of "
                 "the page). The <br> inside a cell becomes a space.")


def make_table_files() -> None:
    write("zh_table_ruled.pdf", make_zh_table_ruled())
    write("en_table_unruled.pdf", make_en_table_unruled())
    make_tables_html()


def make_broken_files(en_pdf: bytes) -> None:
    write("broken_truncated.pdf", en_pdf[: len(en_pdf) // 2])
    record("broken_truncated.pdf", lang="en",
           error="truncated PDF: only the first half of en_text.pdf's bytes (no xref table, "
                 "no trailer, cut inside an object)",
           notes="pdfium refuses to open it (PdfiumError: data format error); pdfminer may "
                 "recover part of it by scanning for objects. A faithful extractor reports an "
                 "error (or a clearly flagged partial result), it must not crash.")
    write("empty.pdf", b"")
    record("empty.pdf", error="empty file (0 bytes)")
    img = Image.new("L", (240, 60), 255)
    ImageDraw.Draw(img).text((10, 20), "this is a PNG image", fill=0)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    write("not_a_pdf.pdf", buf.getvalue())
    record("not_a_pdf.pdf", error="not a PDF: a PNG image (signature \\x89PNG) with a .pdf name",
           notes="Detect by content (magic bytes), not by extension.")


# =========================================================================== report

def naive_report(path: Path) -> None:
    """Write what naive extraction returns for every PDF here."""
    import pdfplumber
    import pypdfium2

    out = []
    for pdf in sorted(HERE.glob("*.pdf")):
        out.append(f"=== {pdf.name}")
        entry = EXPECTED.get(pdf.name, {})
        password = entry.get("password") or None
        try:
            doc = pypdfium2.PdfDocument(str(pdf), password=password)
            for i, page in enumerate(doc):
                out.append(f"--- pypdfium2 page {i + 1}: get_textpage().get_text_bounded()")
                out.append(repr(page.get_textpage().get_text_bounded()))
        except Exception as exc:  # noqa: BLE001 - we want to see every failure
            out.append(f"--- pypdfium2: {type(exc).__name__}: {exc}")
        try:
            with pdfplumber.open(str(pdf), password=password or "") as doc:
                for i, page in enumerate(doc.pages):
                    out.append(f"--- pdfplumber page {i + 1}: extract_text()")
                    out.append(repr(page.extract_text()))
        except Exception as exc:  # noqa: BLE001
            out.append(f"--- pdfplumber: {type(exc).__name__}: {exc!r}"[:300])
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


# =========================================================================== main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, help="write naive extraction results to this file")
    parser.add_argument("--tables-only", action="store_true",
                        help="rebuild only the table files (and their expected.json entries)")
    args = parser.parse_args()
    if args.tables_only:
        make_table_files()
        old = json.loads((HERE / "expected.json").read_text(encoding="utf-8"))
        merged = {k: {**old, **EXPECTED}[k] for k in sorted({**old, **EXPECTED})}
        (HERE / "expected.json").write_text(json.dumps(merged, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        return

    write("zh_text.pdf", make_zh_text())
    en_pdf = make_en_text()
    write("en_text.pdf", en_pdf)
    write("zh_fake_bold.pdf", make_zh_fake_bold())
    write("zh_letter_spaced.pdf", make_zh_letter_spaced())
    write("en_two_column.pdf", make_two_column("en_two_column.pdf", "en", EN_2COL_TITLE,
                                               EN_2COL_LEFT, EN_2COL_RIGHT, stream_order="columns"))
    write("zh_two_column.pdf", make_two_column("zh_two_column.pdf", "zh", ZH_2COL_TITLE,
                                               ZH_2COL_LEFT, ZH_2COL_RIGHT, stream_order="rows"))
    write("zh_headers_footers.pdf", make_zh_headers_footers())
    write("zh_cid_no_unicode.pdf", make_zh_cid_no_unicode())
    write("zh_scanned.pdf", make_zh_scanned())
    write("en_scanned.pdf", make_en_scanned())
    write("en_garbage_text_layer.pdf", make_en_garbage_text_layer())
    write("encrypted_user_pw.pdf", make_encrypted_user_pw())
    write("encrypted_owner_only.pdf", make_encrypted_owner_only())
    write("vertical_zh.pdf", make_vertical_zh())
    write("en_two_column_headers.pdf", make_en_two_column_headers())
    write("zh_fake_bold_overprint.pdf", make_zh_fake_bold_overprint())
    write("zh_gbk_mojibake.pdf", make_zh_gbk_mojibake())
    make_broken_files(en_pdf)
    make_table_files()
    make_text_files()
    make_docx_files()
    make_html_files()

    for name, entry in EXPECTED.items():  # furniture must be recognisable as such
        for junk in entry.get("furniture", []):
            assert not any(junk in p for p in entry["paragraphs"]), (name, junk)
    ordered = {k: EXPECTED[k] for k in sorted(EXPECTED)}
    (HERE / "expected.json").write_text(json.dumps(ordered, ensure_ascii=False, indent=2) + "\n",
                                        encoding="utf-8")
    if args.report:
        naive_report(args.report)
    print(f"wrote {len(EXPECTED)} files and expected.json to {HERE}")


if __name__ == "__main__":
    main()
