"""Write the small hand-coded test files (ours: sentences written for textmine's tests, in the style of
corpora/sample; nothing from ../shared):

* handcoded_units.csv   — coder A: 48 units of 6 fictional documents (zh, en), pentagon codes as 0/1 columns;
* handcoded_units_b.csv — coder B: the same units coded again, with deliberate disagreements, one unit
  left out (zh-c-8) and one unit A does not have (en-f-9).

    python tests/data/make_handcoded.py
"""

import csv
from pathlib import Path

CODES = ("NET", "INN", "ORG", "TRU", "EXC")
# (unit_id, doc_id, lang, codes of coder A, text)
UNITS = [
    ("zh-a-1", "zh-a", "zh", "NET INN", "支持链主企业联合高等学校、科研院所组建创新联合体，开展产学研协同攻关。"),
    ("zh-a-2", "zh-a", "zh", "INN", "布局建设制造业创新中心和中试验证平台，突破一批关键核心技术。"),
    ("zh-a-3", "zh-a", "zh", "ORG", "每个重点集群设立集群发展促进机构，负责集群日常运营和服务。"),
    ("zh-a-4", "zh-a", "zh", "EXC", "到2030年，培育三个具有全球影响力的世界级先进制造业集群。"),
    ("zh-a-5", "zh-a", "zh", "TRU NET", "建立集群成员之间利益共享、风险共担的合作机制，增进互信。"),
    ("zh-a-6", "zh-a", "zh", "", "本意见自印发之日起施行。"),
    ("zh-a-7", "zh-a", "zh", "", "各市、县人民政府，省政府各部门："),
    ("zh-a-8", "zh-a", "zh", "INN", "鼓励企业加大研发投入，推动科技成果转化和产业化。"),
    ("zh-b-1", "zh-b", "zh", "NET", "推动集群内企业与高校共建联合实验室，共享大型仪器设备。"),
    ("zh-b-2", "zh-b", "zh", "ORG", "江海市高新区管理委员会统筹集群发展，发挥协调服务作用。"),
    ("zh-b-3", "zh-b", "zh", "EXC", "对标国际一流集群，打造具有国际竞争力的产业品牌。"),
    ("zh-b-4", "zh-b", "zh", "TRU", "完善集群信用体系，建立守信激励和失信惩戒机制。"),
    ("zh-b-5", "zh-b", "zh", "INN", "支持建设技术创新中心，提升集群自主创新能力。"),
    ("zh-b-6", "zh-b", "zh", "", "第一条 为规范集群管理，制定本条例。"),
    ("zh-b-7", "zh-b", "zh", "NET", "组织供需对接活动，促进上下游企业配套协作。"),
    ("zh-b-8", "zh-b", "zh", "", "本条例由市人民政府负责解释。"),
    ("zh-c-1", "zh-c", "zh", "ORG NET", "发挥行业协会和集群促进机构作用，组织会员企业开展合作交流。"),
    ("zh-c-2", "zh-c", "zh", "EXC", "培育一批制造业单项冠军企业和领军企业。"),
    ("zh-c-3", "zh-c", "zh", "INN", "建设一批公共技术服务平台和检验检测平台。"),
    ("zh-c-4", "zh-c", "zh", "TRU", "引导合作各方签订知识产权共享协议，实现互利共赢。"),
    ("zh-c-5", "zh-c", "zh", "", "附件：集群名单"),
    ("zh-c-6", "zh-c", "zh", "NET", "深化长三角区域合作，推动跨区域产业链协同。"),
    ("zh-c-7", "zh-c", "zh", "", "联系人及电话见附表。"),
    ("zh-c-8", "zh-c", "zh", "EXC INN", "弘扬企业家精神和工匠精神，建设世界一流的创新高地。"),
    ("en-d-1", "en-d", "en", "NET", "The programme funds joint projects between firms, universities and research organisations."),
    ("en-d-2", "en-d", "en", "ORG", "Each cluster organisation shall appoint a cluster manager who acts for its members."),
    ("en-d-3", "en-d", "en", "EXC", "Our ambition is to build world-class clusters that compete with the best in the world."),
    ("en-d-4", "en-d", "en", "TRU", "Partners agree on fair rules for sharing the benefits of joint intellectual property, which builds trust."),
    ("en-d-5", "en-d", "en", "INN", "The region will open a testing and demonstration centre for new battery technologies."),
    ("en-d-6", "en-d", "en", "", "This Regulation enters into force on the day of its publication."),
    ("en-d-7", "en-d", "en", "", "Table 2: Employment by sector, 2020."),
    ("en-d-8", "en-d", "en", "INN NET", "Research institutes and small firms will cooperate on applied research and development."),
    ("en-e-1", "en-e", "en", "ORG", "The cluster board and its executive office set the strategy of the cluster."),
    ("en-e-2", "en-e", "en", "NET", "A matchmaking platform will connect cluster members with partners in other regions."),
    ("en-e-3", "en-e", "en", "EXC", "The best cluster organisations will receive the gold label for cluster management excellence."),
    ("en-e-4", "en-e", "en", "INN", "Grants support research and innovation projects that bring new products to market."),
    ("en-e-5", "en-e", "en", "TRU", "Members commit to long-term participation and mutual trust within the partnership."),
    ("en-e-6", "en-e", "en", "", "Contents: 1. Introduction; 2. Analysis; 3. Measures."),
    ("en-e-7", "en-e", "en", "NET", "Clusters are encouraged to link up with clusters in neighbouring sectors across borders."),
    ("en-e-8", "en-e", "en", "", "Brussels, 14 June 2016."),
    ("en-f-1", "en-f", "en", "INN", "New laboratories for applied research will be built on the science park."),
    ("en-f-2", "en-f", "en", "ORG", "A regional cluster agency will coordinate the initiatives and advise firms."),
    ("en-f-3", "en-f", "en", "EXC", "The region aims to become a European leader in the bioeconomy."),
    ("en-f-4", "en-f", "en", "NET", "International cooperation with partner regions in Asia will be strengthened."),
    ("en-f-5", "en-f", "en", "", "Annex I lists the participating municipalities."),
    ("en-f-6", "en-f", "en", "INN", "Technology transfer offices will help researchers commercialise their patents."),
    ("en-f-7", "en-f", "en", "TRU NET", "Firms sharing the pilot plant agree on cost and risk sharing, which makes cooperation safe."),
    ("en-f-8", "en-f", "en", "", "Figure 3: Share of exports by destination."),
]
# coder B differs from A on these units (B's codes), leaves out zh-c-8 and adds en-f-9
B_DIFFERS = {
    "zh-a-1": "NET", "zh-a-5": "TRU", "zh-b-2": "", "zh-c-2": "EXC INN", "en-d-3": "EXC ORG",
    "en-d-8": "INN", "en-e-4": "INN", "en-f-2": "ORG NET", "en-f-6": "",
}
B_ONLY = [("en-f-9", "en-f", "en", "INN", "The innovation voucher scheme will be evaluated in 2025.")]


def write(path: Path, units) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["unit_id", "doc_id", "lang", "text", *(f"pentagon_{c}" for c in CODES)])
        for unit_id, doc_id, lang, codes, text in units:
            writer.writerow([unit_id, doc_id, lang, text, *(int(c in codes.split()) for c in CODES)])


def main() -> None:
    here = Path(__file__).parent
    write(here / "handcoded_units.csv", UNITS)
    coder_b = [(u, d, l, B_DIFFERS.get(u, codes), t) for u, d, l, codes, t in UNITS if u != "zh-c-8"] + B_ONLY
    write(here / "handcoded_units_b.csv", coder_b)


if __name__ == "__main__":
    main()
