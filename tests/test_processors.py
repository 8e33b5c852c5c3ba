"""Table tests for each cleaning processor: what it removes, and the real sentence it must keep."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from crawler.extraction.blocks import Block, Link, split_blocks
from crawler.extraction.processors import (
    BLOCK_RULES,
    drop_about_line,
    drop_above_headline,
    drop_ad_disclosure,
    drop_ad_label,
    drop_after_end_marker,
    drop_breadcrumb,
    drop_by_wrapper,
    drop_byline,
    drop_caption,
    drop_closing_promos,
    drop_comments_heading,
    drop_counter,
    drop_editor_line,
    drop_end_notes,
    drop_footer,
    drop_keyword_stuffing,
    drop_kicker,
    drop_leading_date_lines,
    drop_leading_name_lines,
    drop_lists_after_headings,
    drop_meta_line,
    drop_navigation,
    drop_outside_article_run,
    drop_pagination,
    drop_prev_next,
    drop_prev_next_links,
    drop_promo,
    drop_public_notice,
    drop_related_heading,
    drop_reprint_notice,
    drop_share,
    drop_spam_link,
    drop_tag_line,
    drop_tag_links,
    drop_title_repeat,
    drop_trailing_byline,
    drop_unmarked_captions,
    editor_names,
    first_drop,
    is_ad_phrase,
    merge_furniture_runs,
    names_in_byline,
    paragraph_lines,
    split_closing_credit,
    split_names,
    strip_title_ad_prefix,
)
from crawler.extraction.urls import registrable_domain

PAGE = {"page_host": "www.1xbbk.net", "title": "吹响川渝职业教育协同发展的嘹亮号角"}
SCHOOL = {"page_host": "www.xxzx.edu.cn"}
AD_URL = "https://m-mip.39.net/baidianfeng/mipso_4513569.html"


def reason_of(rule, block: Block, context=PAGE) -> str | None:  # noqa: ANN001 - rules are callables
    return rule(block, context).reason


@pytest.mark.parametrize(
    ("block", "context", "dropped"),
    [
        pytest.param(
            Block(f"北京治疗白癜风要多少费用 {AD_URL}", links=(Link(AD_URL, AD_URL),)), PAGE, True, id="seed-spam-line"
        ),
        pytest.param(Block(f"北京治疗白癜风要多少费用 {AD_URL}"), PAGE, True, id="bare-url-spam"),
        pytest.param(
            Block("武汉男科医院哪家好", links=(Link("http://www.whnk-120.com/", "武汉男科医院哪家好"),)),
            PAGE,
            True,
            id="linked-ad-phrase",
        ),
        pytest.param(
            Block("详情可登录学校心理健康中心网站 https://xljk.xxzx.edu.cn 查询。"),
            SCHOOL,
            False,
            id="same-site-url-in-sentence",
        ),
        pytest.param(
            Block("市第一人民医院神经内科主任医师刘敏介绍，癫痫发作时不要往患者嘴里塞东西。"),
            SCHOOL,
            False,
            id="hospital-in-sentence",
        ),
        pytest.param(
            Block(
                "更多信息请访问教育部网站 http://www.moe.gov.cn 了解。",
                links=(Link("http://www.moe.gov.cn", "http://www.moe.gov.cn"),),
            ),
            PAGE,
            False,
            id="offsite-url-in-sentence",
        ),
        pytest.param(
            Block("附件：2024年招生计划表", links=(Link("http://www.1xbbk.net/a.xls", "2024年招生计划表"),)),
            PAGE,
            False,
            id="same-site-attachment",
        ),
    ],
)
def test_spam_link_lines_are_recognised_by_structure(block: Block, context: dict, dropped: bool) -> None:
    assert (reason_of(drop_spam_link, block, context) == "spam-link") is dropped


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("郑州牛皮癣医院 郑州治疗牛皮癣 牛皮癣怎么治疗最好", True),
        ("癫痫病医院 治疗癫痫哪家好 癫痫病能治好吗", True),
        ("提醒同学们警惕网络上的虚假医疗广告，生病要到正规医院就诊。", False),
        ("校园开放日 家长课堂 亲子阅读", False),
    ],
)
def test_keyword_stuffed_ad_lines_are_dropped(text: str, dropped: bool) -> None:
    assert (reason_of(drop_keyword_stuffing, Block(text)) == "ad") is dropped


@pytest.mark.parametrize(
    ("rule", "text", "reason"),
    [
        (drop_reprint_notice, "转载请注明地址:http://www.1xbbk.net/jwbzn/4984.html", "reprint-notice"),
        (drop_reprint_notice, "本网站所有内容，未经本网书面授权，请勿转载或建立镜像。", "reprint-notice"),
        (drop_reprint_notice, "【免责声明】本文仅代表作者本人观点，与本网无关。", "reprint-notice"),
        (drop_reprint_notice, "本文来源于网络，如有侵权请联系删除。", "reprint-notice"),
        (drop_prev_next, "上一篇文章: 重庆市公布第二批市级中小学劳动教育实践基地名单", "prev-next"),
        (drop_prev_next, "下一篇：没有了", "prev-next"),
        (drop_prev_next, "Next article: District expands summer reading", "prev-next"),
        (drop_pagination, "共2页: 上一页 1 2 下一页", "pagination"),
        (drop_share, "分享到：", "share"),
        (drop_counter, "点击：", "counter"),
        (drop_counter, "浏览次数：313", "counter"),
        (drop_editor_line, "（责编：牛镛、岳弘彬）", "editor-line"),
        (drop_editor_line, "责任编辑：魏喆 ）", "editor-line"),
        (drop_editor_line, "【编辑:刘欢】", "editor-line"),
        (drop_navigation, "您现在的位置：首页 > 新闻中心 > 学校新闻 >", "navigation"),
        (drop_navigation, "【字体：大 中 小】【打印本页】【关闭窗口】", "navigation"),
        (drop_footer, "冀ICP备19027023号-7", "footer"),
        (drop_footer, "蒙公网安备 15010502000333号", "footer"),
        (drop_footer, "Copyright © 2024 Riverside Education News. All rights reserved.", "footer"),
        (drop_byline, "光明日报记者 王建宏 张文攀", "byline"),
        (drop_byline, "（文/王小明 图/李华）", "byline"),
        (drop_byline, "By Jane Smith, Education Reporter", "byline"),
        (drop_meta_line, "发布时间：2022-02-13 04:22:18  来源：云南日报", "meta-line"),
        (drop_meta_line, "来源：重庆日报", "meta-line"),
        (drop_meta_line, "来源 | 综合本报记者及通讯员报道", "meta-line"),
        (drop_meta_line, "本文来源：某市教育网 责任编辑：李明_NB1024", "meta-line"),
        (drop_meta_line, "修改时间：2024-04-20 16:00", "meta-line"),  # the page's own stamps
        (drop_meta_line, "发布日期：2024年4月20日", "meta-line"),
        (drop_byline, "記者林小華、陳大明／台中報導 2024-04-16 12:05", "byline"),  # the date closes the line
        (drop_byline, "文：王小明　摄影：李华", "byline"),  # credits set with colons
        (drop_byline, "撰文：王小明 统筹：赵六 2024-04-16", "byline"),
        (drop_editor_line, "【纠错】 【责任编辑:周平】", "editor-line"),
        (drop_editor_line, "编辑 王小丽 ｜ 排版 陈晨", "editor-line"),
        (drop_editor_line, "总监制：张 伟", "editor-line"),
        (drop_byline, "（市融媒体中心记者 王磊 刘洋）", "byline"),
        (drop_byline, "文丨本报特约评论员 李华", "byline"),
        (drop_byline, "教育中心／综合报导", "byline"),
        (drop_byline, "市教育报记者 张敏 来源：市教育报", "byline"),
        (drop_caption, "图为学生们在操场上进行广播体操比赛。", "caption"),
        (drop_caption, "新华社记者 李明 摄", "caption"),
        (drop_caption, "▲开学第一天，校长在校门口迎接新生。", "caption"),
        (drop_caption, "孩子们在老师指导下种植蔬菜。（学校供图）", "caption"),
        (drop_caption, "Photo: The new library opened on Monday.", "caption"),
        (drop_caption, "Rector Anna Novak, photo: University Archive", "caption"),
        (drop_caption, "Los alumnos vuelven a clases en marzo. Foto: Andina", "caption"),
        (drop_caption, "Photograph by Ed Marshall, Island Restoration Programme", "caption"),
        (  # a wire caption runs to several sentences; the bracketed credit closing it says what it is
            drop_caption,
            "Pupils of Harbour Primary School, left, and their teacher, centre, plant an oak on the school field"
            " during the district's tree week in Milltown, Tuesday, March 3, 2026. The school has planted one tree"
            " for every class since 2010. (AP Photo/Jane Doe)",
            "caption",
        ),
        (drop_caption, "The board approved the budget (photo by the district below) on Monday evening.", None),
        (drop_promo, "欢迎下载某某教育APP，随时随地阅读", "promo"),
        (drop_promo, "关注公众号：某市教育发布", "promo"),
        (drop_promo, "点击上方蓝字 关注我们", "promo"),
        (drop_promo, "阅读剩余全文", "promo"),
        (drop_promo, "Follow us on Twitter for the latest school news", "promo"),
        (drop_promo, "Subscribe now to our digital edition for the full story.", "promo"),
        (drop_promo, "Download the City News app for iOS and Android.", "promo"),
        (drop_promo, "Submit your letter to the editor via this form.", "promo"),
        (drop_public_notice, "珍惜生命，心理援助热线：400-000-0000", "public-notice"),
        (drop_tag_line, "关键词：课后服务 双减", "tags"),
        (drop_tag_line, "#开学 #安全教育 #中小学", "tags"),
        (drop_tag_line, "#开学第一课##课后服务##中小学#", "tags"),
        (drop_pagination, "第 2 页 共 5 页 1 2 3 4 5 下一页", "pagination"),
        (drop_tag_line, "Tags: schools, reading", "tags"),
        (drop_about_line, "原标题：某市全面推进课后服务", "meta-line"),
        (drop_about_line, "《中国教育报》（2026年03月05日 02版）", "meta-line"),
        (drop_related_heading, "Lesen Sie auch:", "related-list"),
        (drop_related_heading, "Das könnte Sie auch interessieren", "related-list"),
        (drop_related_heading, "NOTAS RELACIONADAS", "related-list"),
        (drop_related_heading, "VEA TAMBIÉN: Nuevas becas para estudiantes de secundaria", "related-list"),
        (drop_related_heading, "Dowiedz się więcej: Jak głosowali posłowie?", "related-list"),
        (drop_ad_label, "Advertisement:", "ad"),
        (drop_ad_disclosure, "This post contains references to our advertisers. We may receive compensation.", "ad"),
        (drop_ad_disclosure, "NOTE: The advertising disclaimer below does not apply to this article.", "ad"),
        (drop_ad_disclosure, "Some links are affiliate links: we earn a commission on purchases.", "ad"),
        (drop_ad_label, "广告通知：暑期托管班火热报名中", "ad"),
        (drop_navigation, "字号减小 字号增大", "navigation"),
        (
            drop_reprint_notice,
            "特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。",
            "reprint-notice",
        ),
    ],
)
def test_furniture_lines_are_dropped_with_their_reason(rule, text: str, reason: str) -> None:  # noqa: ANN001
    assert reason_of(rule, Block(text)) == reason


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (drop_reprint_notice, "网络谣言被大量转载，学校提醒家长通过官方渠道了解招生信息，不信谣、不传谣。" * 3),
        (drop_prev_next, "上一篇论文发表后，课题组继续开展了为期两年的跟踪调查。"),
        (drop_pagination, "2"),
        (drop_pagination, "12345678901234567890123456x"),
        (drop_tag_line, "#开学第一课#今天全市中小学同时开课，学生们回到校园。"),
        (drop_counter, "点击率高的课程往往并不是最难的课程，学生更看重实用性。"),
        (drop_editor_line, "编辑部的老师们利用暑假深入乡村学校，记录了许多感人的故事，这些故事后来结集出版。"),
        (drop_footer, "学校版权教育讲座上，老师讲解了著作权法的基本知识，提醒同学们尊重他人的劳动成果。" * 3),
        (drop_byline, "By the end of the year, the district hopes every pupil reads at grade level."),
        (drop_meta_line, "时间：从2024年3月起，全省初中学校将全面推行课后服务，家长可自愿选择参加。"),
        (drop_meta_line, "报名时间：2024年5月20日至6月10日"),  # a notice's facts, not the page's stamp
        (drop_meta_line, "考试时间：6月7日9:00—11:30"),
        (drop_meta_line, "讲座日期：2024年4月25日（周四）14:30"),
        (drop_byline, "图文：学生们在操场上进行广播体操比赛"),  # a caption's sentence after a credit label
        (drop_share, "同学们纷纷分享自己的学习心得和体会。"),
        (drop_caption, "图书馆延长开放时间后，学生们有了更多自习的地方。"),
        (drop_caption, "The school asked every pupil to bring one photo: a picture of their favourite place."),
        (drop_promo, "考生可关注省教育考试院微信公众号，查询录取结果和志愿填报指南。"),
        (drop_promo, "家长可扫描二维码填写问卷，学校将根据反馈调整课后服务内容。"),
        (drop_promo, "点击率不是标准，家长更应关注孩子的阅读体验。"),
        (drop_promo, "Pupils can download the app for free."),
        (drop_promo, "In a letter to the editor, the head teacher defended the plan."),
        (drop_tag_line, "分类教学是这所学校近年来探索的重点，效果明显。"),
        (drop_ad_label, "广告法明确规定，不得在中小学校园内发布任何商业广告。"),
        (drop_ad_label, "Advertisement: the school board rejected the proposal."),
        (drop_ad_disclosure, "Families of the victims may receive compensation from the state, the court ruled."),
        (drop_related_heading, "Puedes verlo en la web del ministerio, donde se publican todas las becas del curso."),
        (drop_editor_line, "编辑部老师说，这本校刊已经连续出版了二十年。"),
    ],
)
def test_article_sentences_that_look_like_furniture_survive(rule, text: str) -> None:  # noqa: ANN001
    assert rule(Block(text), PAGE).kept


def test_headline_repeated_in_body_is_dropped_but_a_longer_sentence_is_not() -> None:
    assert reason_of(drop_title_repeat, Block("吹响川渝职业教育协同发展的嘹亮号角")) == "title-repeat"
    assert drop_title_repeat(Block("吹响川渝职业教育协同发展的嘹亮号角，重庆在行动。"), PAGE).kept


def test_wrapper_class_gives_the_reason() -> None:
    assert reason_of(drop_by_wrapper, Block("微信 微博", wrapper="share")) == "share"
    assert drop_by_wrapper(Block("正文段落。"), PAGE).kept


def test_trailing_bare_name_line_is_a_byline_even_after_furniture() -> None:
    blocks = [
        Block("重庆市教委与四川省教育厅在渝签署框架协议。"),
        Block("王小寒刘进"),
        Block("转载请注明地址:http://www.1xbbk.net/jwbzn/4984.html", reason="reprint-notice"),
    ]
    result = drop_trailing_byline(blocks)
    assert [block.reason for block in result] == [None, "byline", "reprint-notice"]


@pytest.mark.parametrize("last_line", ["协同化发展是现代职业教育发展的必然趋势", "合作交流", "重庆教育"])
def test_trailing_phrase_is_not_taken_for_names(last_line: str) -> None:
    assert drop_trailing_byline([Block("正文。"), Block(last_line)])[-1].kept


def test_link_items_under_a_related_heading_are_dropped_until_text_resumes() -> None:
    link = (Link("http://www.1xbbk.net/a.html", "川渝两地签署职业教育协同发展框架协议"),)
    blocks = [
        Block("相关文章", reason="related-list"),
        Block("川渝两地签署职业教育协同发展框架协议", links=link),
        Block("这是一段正文，没有链接。"),
        Block("川渝两地签署职业教育协同发展框架协议", links=link),
    ]
    reasons = [block.reason for block in drop_lists_after_headings(blocks)]
    assert reasons == ["related-list", "related-list", None, None]


def test_page_list_items_merge_into_one_removed_block() -> None:
    items = [Block(text, wrapper="pagination", reason="pagination") for text in ("共2页:", "上一页", "1", "下一页")]
    merged = merge_furniture_runs([Block("正文。"), *items])
    assert [block.text for block in merged] == ["正文。", "共2页: 上一页 1 下一页"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("本报讯（记者 张三）", ["张三"]),
        ("（记者 张三 通讯员 李四）", ["张三", "李四"]),
        ("新华社北京4月24日电（记者 胡晓蓉）", ["胡晓蓉"]),
        ("作者:王小寒 刘进 点击:", ["王小寒", "刘进"]),
        ("By Jane Smith and Li Wei, Staff Writers", ["Jane Smith", "Li Wei"]),
        ("By Jane Smith Feb 19, 2026", ["Jane Smith"]),  # the date ends the name
        ("By Jane Smith September 3, 2026 at 9:00", ["Jane Smith"]),
        ("By June Smith", ["June Smith"]),  # a month's name with no day after it may be a name
        ("2月12日，记者从省教育厅获悉", []),
        ("BY JANE SMITH", ["JANE SMITH"]),  # any case
        ("Written by: Jane Smith, Li Wei and Tom Brown", ["Jane Smith", "Li Wei", "Tom Brown"]),  # a list
        ("Story by Jane Smith", ["Jane Smith"]),
        ("by: Jane Smith", ["Jane Smith"]),
        ("by the school board, The Council", []),  # no name after the word
    ],
)
def test_byline_names(text: str, names: list[str]) -> None:
    assert names_in_byline(text) == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("王小寒刘进", ["王小寒", "刘进"]),
        ("牛镛、岳弘彬", ["牛镛", "岳弘彬"]),
        ("欧阳娜娜", ["欧阳娜娜"]),
        ("王小寒 和 刘进", ["王小寒", "刘进"]),  # "and" between spaces
        ("李永和", ["李永和"]),  # glued to a name, 和 may end it
    ],
)
def test_split_names_separates_runs_of_chinese_names(text: str, names: list[str]) -> None:
    assert split_names(text) == names


def test_editor_names_come_from_editor_lines() -> None:
    assert editor_names("（责编：牛镛、岳弘彬）") == ["牛镛", "岳弘彬"]
    assert editor_names("学校编辑部成立于1998年。") == []


def test_title_ad_prefix_is_stripped() -> None:
    assert strip_title_ad_prefix("[雅诗丽化妆品]乡村教师培训计划启动") == "乡村教师培训计划启动"
    assert strip_title_ad_prefix("【教育部】乡村教师培训计划启动") == "【教育部】乡村教师培训计划启动"


def test_ad_keywords_are_those_the_article_never_mentions() -> None:
    assert is_ad_phrase("北京治疗白癜风要多少费用", "职业教育协同发展。")
    assert not is_ad_phrase("癫痫", "学校举办癫痫关爱日活动。")
    assert not is_ad_phrase("职业教育", "职业教育协同发展。")


@pytest.mark.parametrize(
    ("host", "site"),
    [
        ("m.xxzx.edu.cn", "xxzx.edu.cn"),
        ("www.1xbbk.net", "1xbbk.net"),
        ("m-mip.39.net", "39.net"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("jyj.sh.gov.cn", "sh.gov.cn"),
    ],
)
def test_registrable_domain_groups_subdomains_by_the_public_suffix_list(host: str, site: str) -> None:
    assert registrable_domain(host) == site


def test_editor_lines_with_several_labels_give_only_names() -> None:
    assert editor_names("初审：何静 复审：王建国 终审：李卫东") == ["何静", "王建国", "李卫东"]


def test_photo_credits_are_not_authors() -> None:
    assert names_in_byline("（通讯员 王芳 摄影 陈晨）") == ["王芳"]
    assert names_in_byline("（文/王小明 图/李华）") == ["王小明"]


def test_traditional_furniture_meets_the_same_rules() -> None:
    assert reason_of(drop_editor_line, Block("編輯：王美玲")) == "editor-line"
    assert reason_of(drop_byline, Block("記者林怡君／臺北報導")) == "byline"
    assert reason_of(drop_prev_next, Block("上一則：大學多元入學方案公聽會 下月起分區舉行")) == "prev-next"


def test_blocks_above_the_repeated_headline_are_page_header() -> None:
    blocks = [Block("K-12"), Block("Headline", reason="title-repeat"), Block("First paragraph of the story.")]
    assert [block.reason for block in drop_above_headline(blocks)] == ["navigation", "title-repeat", None]


STORY = [Block("市教育局召开会议部署新学期工作，要求各校做好开学准备，确保平稳有序开学。" * 3)] * 3
RELATED = "另一所学校举行开学典礼暨新学期安全教育大会"
LINKS = [Block(RELATED, links=(Link("http://a.cn/1.html", RELATED),)) for _ in range(4)]
TEASER = Block("这是另一篇新闻的摘要，讲的是别的学校的事情，读者可以点击标题阅读全文。")


def test_teasers_after_the_article_and_its_link_list_are_outside_the_article() -> None:
    blocks = drop_outside_article_run([*STORY, *LINKS, TEASER])
    assert [block.reason for block in blocks] == [None, None, None, *["related-list"] * 4, "outside-article"]


def test_a_signature_closing_a_notice_stays_with_it() -> None:
    blocks = drop_outside_article_run([*STORY, Block("某市教育局"), Block("2026年3月5日")])
    assert all(block.kept for block in blocks)


def blocks_of(markup: str) -> list[Block]:
    return split_blocks(lxml_html.fromstring(f"<div>{markup}</div>"), "http://www.example.edu.cn/tzgg/1.html")


STORY_MARKUP = "".join(f"<p>{block.text}</p>" for block in STORY)


def test_a_data_table_closing_a_notice_stays_with_it() -> None:
    rows = "".join(f"<tr><td>{n}</td><td>某市第{n}中学</td><td>某区</td></tr>" for n in range(1, 6))
    blocks = drop_outside_article_run(blocks_of(f"{STORY_MARKUP}<table>{rows}</table>"))
    assert [block.text for block in blocks if block.kept][-3:] == ["5", "某市第5中学", "某区"]


def test_a_list_closing_a_story_that_sets_its_steps_as_lists_stays_with_it() -> None:
    steps = "<ul><li>Step 1: sign in</li><li>Step 2: fill in the form</li></ul>"
    last = "<ul><li>Step 1: open the results page</li><li>Step 2 (optional): print it</li></ul>"
    blocks = drop_outside_article_run(blocks_of(f"{STORY_MARKUP}{steps}{STORY_MARKUP}{last}"))
    kept = [block.text for block in blocks if block.kept]
    assert kept[-2:] == ["Step 1: open the results page", "Step 2 (optional): print it"]
    # The same list under a story with no list of its own reads as labels about it, not as its text.
    alone = drop_outside_article_run(blocks_of(f"{STORY_MARKUP}{last}"))
    assert [block.reason for block in alone][-2:] == ["outside-article"] * 2


def test_the_last_paragraphs_own_lines_stay_with_it_but_a_divs_trailing_lines_may_not() -> None:
    lines = ["* 新增选课系统", "* 修复登录问题", "* 其他改进"]
    paragraph = f"<p>{STORY[0].text}<br>{'<br>'.join(lines)}</p>"
    blocks = drop_outside_article_run(blocks_of(f"{STORY_MARKUP}{paragraph}"))
    assert [block.text for block in blocks if block.kept][-3:] == lines  # a changelog typed into one <p>
    # The same lines after a division's text are not one paragraph's: a layout <div> holds them.
    divided = drop_outside_article_run(blocks_of(f"{STORY_MARKUP}<div>{STORY[0].text}<br>{'<br>'.join(lines)}</div>"))
    assert [block.reason for block in divided][-3:] == ["outside-article"] * 3


def test_a_table_row_is_one_line_of_tab_separated_cells_and_a_cells_own_lines_stay_apart() -> None:
    markup = (
        "<table><tr><th>序号</th><th>学校</th></tr><tr><td>1</td><td>某市第1中学</td></tr>"
        "<tr><td>第一行<br>第二行</td></tr><tr><td><p>一段</p><p>二段</p></td></tr></table>"
    )
    assert paragraph_lines(blocks_of(markup)) == ["序号\t学校", "1\t某市第1中学", "第一行", "第二行", "一段", "二段"]


ATTACHMENTS = (
    "<p>附件：</p><p><a href='/u/2026/fj1.docx'>1.暑期安全工作方案.docx</a></p>"
    "<p><a href='/u/2026/fj2.xlsx?v=2'>2.各校安全责任人名单.xlsx</a></p>"
)
SIGNATURE = "<p>某市教育局</p><p>2026年7月1日</p>"


@pytest.mark.parametrize("closing", [ATTACHMENTS + SIGNATURE, SIGNATURE + ATTACHMENTS])
def test_a_notices_attachments_listed_by_name_close_it_with_its_signature(closing: str) -> None:
    blocks = drop_outside_article_run(blocks_of(STORY_MARKUP + closing))
    assert all(block.kept for block in blocks)


def test_a_download_link_not_named_as_a_file_is_not_an_attachment() -> None:
    blocks = drop_outside_article_run(blocks_of(f"{STORY_MARKUP}<p><a href='/report.pdf'>Download the report</a></p>"))
    assert not blocks[-1].kept


def test_a_one_column_table_after_the_article_is_no_data_table() -> None:
    rows = "".join(f"<tr><td>校园新闻{n}</td></tr>" for n in range(5))
    reasons = [block.reason for block in drop_outside_article_run(blocks_of(f"{STORY_MARKUP}<table>{rows}</table>"))]
    assert reasons == [None] * 3 + ["outside-article"] * 5


def test_a_label_after_the_article_without_a_date_is_outside_it() -> None:
    reasons = [block.reason for block in drop_outside_article_run([*STORY, Block("校园新闻")])]
    assert reasons == [None, None, None, "outside-article"]


def test_nothing_after_the_editor_line_is_the_article() -> None:
    editor = Block("责任编辑：周平", reason="editor-line")
    blocks = drop_after_end_marker([*STORY, editor, TEASER])
    assert blocks[-1].reason == "outside-article"
    assert drop_after_end_marker([editor, *STORY])[-1].kept, "an editor line above the story ends nothing"


def test_a_comments_button_above_the_story_does_not_make_the_story_comments() -> None:
    button = Block("12 comments", reason="comments")
    assert drop_lists_after_headings([button, *STORY])[1].kept


def test_a_column_tag_above_the_story_is_a_kicker() -> None:
    blocks = drop_kicker([Block("【校园观察】"), *STORY, Block("【相关链接】")])
    assert [block.reason for block in blocks] == ["kicker", None, None, None, None]


def test_a_credit_closing_the_last_paragraph_is_cut_off_as_a_byline() -> None:
    blocks = split_closing_credit([Block("市教育局召开会议部署新学期工作。（作者系某大学教育学院教授）")])
    assert [(block.text, block.reason) for block in blocks] == [
        ("市教育局召开会议部署新学期工作。", None),
        ("（作者系某大学教育学院教授）", "byline"),
    ]


@pytest.mark.parametrize(
    "block",
    [
        Block("分享到：", wrapper="share"),
        Block("北京治疗白癜风要多少费用 " + AD_URL, links=(Link(AD_URL, AD_URL),)),
        Block("上一篇：某校举行开学典礼"),
        Block("市教育局召开会议部署新学期工作，要求各校做好开学准备。"),
    ],
)
def test_first_drop_gives_the_verdict_of_the_first_rule_that_drops(block: Block) -> None:
    expected = block
    for rule in BLOCK_RULES:
        expected = rule(expected, PAGE)
    assert first_drop(*BLOCK_RULES)(block, PAGE) == expected


PICTURE = Block("", images=("http://a.cn/chart.png",))
LEAD = Block("秋季学期即将开始，市教育局下发通知，要求各校做好开学准备，记者走访了多所学校。")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("新校区图书馆全景。", "caption"),
        ("The new campus library at dusk.", "caption"),
        ("记者走访发现，多数学校已按时开学。", None),  # a sentence with a comma is the story's
        ("so for i = j the above follows.", None),  # goes on with a sentence a formula broke off
        ("太好吃了!", None),  # an exclamation is a writer's voice, not a caption
        ("秋季学期开学在即", None),  # a subheading has no full stop
    ],
)
def test_a_one_clause_line_under_a_picture_is_a_caption(line: str, reason: str | None) -> None:
    blocks = drop_unmarked_captions([PICTURE, Block(line), LEAD])
    assert blocks[1].reason == reason


def test_a_short_line_under_a_picture_that_ends_the_story_is_not_taken_for_a_caption() -> None:
    blocks = drop_unmarked_captions([LEAD, PICTURE, Block("全文完。")])
    assert blocks[-1].kept


def test_short_unpunctuated_notes_after_the_last_sentence_are_end_notes() -> None:
    notes = [Block("文中人物为化名"), Block("感谢几位受访者为本文提供的帮助")]
    blocks = drop_end_notes([*STORY, *notes])
    assert [block.reason for block in blocks] == [None, None, None, "end-note", "end-note"]


@pytest.mark.parametrize(
    "tail",
    [
        [Block("某市教育局"), Block("2026年3月5日")],  # a notice's signature
        [Block("Further reading", tag="h")],
        [Block("Marta Vigo", tag="li")],
        [Block("Sources in English and Chinese:")],
        [Block("第一"), Block("第二"), Block("第三"), Block("第四")],  # too many to be notes
        [Block("Sincerely,"), Block("Jane Doe")],  # a letter's close and its signature
        [Block("Cheers,")],
    ],
)
def test_what_closes_a_story_in_its_own_shape_is_not_an_end_note(tail: list[Block]) -> None:
    assert all(block.kept for block in drop_end_notes([*STORY, *tail]))


ENGLISH_STORY = [
    Block("The city council voted on Tuesday to extend the school meals programme for another two years."),
    Block("Parents had campaigned for months, and the vote passed by a wide margin after a long debate."),
]


@pytest.mark.parametrize(
    "line",
    [
        "Publikacja: 04.05.2021",
        "opublikowano: 7 kwietnia 2021",
        "Pressemitteilung Aktuell 02. November 2021",
        "12. mars 2019",
        "Posted 2024-05-20",
    ],
)
def test_a_date_line_opening_the_body_is_a_meta_line_in_any_language(line: str) -> None:
    blocks = drop_leading_date_lines([Block(line), *ENGLISH_STORY])
    assert [block.reason for block in blocks] == ["meta-line", None, None]


@pytest.mark.parametrize(
    "line",
    [
        Block("TNW中文站2016年10月14日07:17"),  # a Chinese source and date: drop_meta_line's to judge
        Block("Founded February 28, 1998", tag="td"),  # a fact in a table
        Block("Election day 2024: what changes on 5 November 2024"),  # too many words for a stamp
        Block("The school opened on 5 March 2024. Pupils arrived early."),  # sentences
        Block("May 2024", links=(Link("https://example.com/archive/2024/05", "May 2024"),)),  # an archive link
    ],
)
def test_what_only_mentions_a_date_at_the_top_of_the_body_is_kept(line: Block) -> None:
    assert all(block.kept for block in drop_leading_date_lines([line, *ENGLISH_STORY]))


def test_a_date_line_further_down_the_story_is_kept() -> None:
    blocks = drop_leading_date_lines([*ENGLISH_STORY, Block("A third paragraph follows here."), Block("12. mars 2019")])
    assert all(block.kept for block in blocks)


@pytest.mark.parametrize(
    "line", ["Halina Brzoza", "Tomasz Wierzba, Agata Żurawska", "Owen T. Marsh and Jean-Paul Ferrand"]
)
def test_names_alone_above_the_first_sentence_are_a_meta_line(line: str) -> None:
    blocks = drop_leading_name_lines([Block("Opinion"), Block(line), *ENGLISH_STORY])
    assert [block.reason for block in blocks] == [None, "meta-line", None, None]


@pytest.mark.parametrize(
    "line",
    [
        "SCHULEN IM LÄNDLICHEN RAUM",  # a section in capitals
        "Starting from the Ground",  # a heading with small words between
        "Introduction",  # one word
        "Anna Berg, Tom Hill, Eva Lund, Max Ott, Ida Holm",  # too many to be a byline
    ],
)
def test_what_is_not_shaped_like_a_byline_stays_above_the_story(line: str) -> None:
    assert all(block.kept for block in drop_leading_name_lines([Block(line), *ENGLISH_STORY]))


def test_a_title_case_line_after_the_first_sentence_is_a_subheading() -> None:
    blocks = drop_leading_name_lines([ENGLISH_STORY[0], Block("What Happened"), ENGLISH_STORY[1]])
    assert all(block.kept for block in blocks)


FOLLOW_PROMPT = (
    "Follow the Chronicle on Twitter and Instagram @chronicle and on Facebook. Send us a message "
    "with your story ideas, tips and photos at any time of the day or night."
)


def test_a_long_follow_prompt_closing_the_story_is_a_promo() -> None:
    blocks = drop_closing_promos([*ENGLISH_STORY, Block(FOLLOW_PROMPT)])
    assert [block.reason for block in blocks] == [None, None, "promo"]


def test_a_long_prompt_inside_the_story_is_left_to_the_short_line_rule() -> None:
    story = [Block(FOLLOW_PROMPT), *ENGLISH_STORY, Block("A third paragraph."), Block("A fourth one.")]
    assert all(block.kept for block in drop_closing_promos(story))


def test_a_closing_sentence_that_mentions_a_newsletter_without_a_prompt_shape_is_kept_when_chinese() -> None:
    line = (
        "学校每周通过newsletter向家长通报课后服务情况，家长反映这种做法让他们及时了解孩子在校表现，希望继续坚持。" * 2
    )
    assert all(block.kept for block in drop_closing_promos([*ENGLISH_STORY, Block(line)]))


def test_a_comment_column_of_a_table_is_not_a_comments_section() -> None:
    row = lxml_html.fromstring("<table><tr><th>Status</th><th>Comment</th></tr></table>")
    header = Block("Comment", tag="h", node=row.find(".//th[2]"))
    assert reason_of(drop_comments_heading, header) is None
    assert reason_of(drop_comments_heading, Block("Comments", tag="h")) == "comments"


def test_a_paragraph_after_a_related_box_inside_the_story_is_still_the_story() -> None:
    item = "Another story about masks, shortages and hospitals, number"
    box = [
        Block("RELATED STORIES", wrapper="related-list", reason="related-list"),
        *(Block(f"{item} {n}", reason="related-list") for n in range(4)),
    ]
    last = Block(
        "The theft comes at a time when the country is short of masks, and hospitals ask for calm. "
        "Stocks run low. Police are looking into it."
    )
    blocks = drop_outside_article_run([*STORY, *box, last])
    assert blocks[-1].kept
    teasers = drop_outside_article_run([*STORY, *box, TEASER])
    assert teasers[-1].reason == "outside-article", "a short teaser after the box is not the story"


def test_a_paragraph_full_of_inline_links_between_the_story_paragraphs_is_kept() -> None:
    linked = "Maciej Kowalski replaced Jan Nowak, who had also led the press office of the Example Group"
    prose = Block(
        f"{linked} for the last eight months, besides his work in marketing.", links=(Link("http://a.pl/1", linked),)
    )
    menu = Block("Home News Business Sport Culture", links=(Link("http://a.pl/", "Home News Business Sport Culture"),))
    long_story = [
        Block(
            "Kowalski worked for the financial supervisor for four years, where he kept in touch with the press. " * 4
        )
    ] * 2
    blocks = drop_outside_article_run([menu, STORY[0], prose, Block("Earlier career", tag="h"), *long_story])
    assert prose.weight < 0 and blocks[2].kept
    assert blocks[0].reason == "navigation"


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ("<li><a href='/tag/exams/' rel='tag'>Exams</a>, </li>", "tags"),
        ("<li><a href='/tag/kaoshi/' rel='category tag'>考试</a></li>", "tags"),
        ("<li><a href='/2026/07/older/' rel='prev'><b>« Previous</b> Term dates agreed</a></li>", "prev-next"),
        ("<li><a href='/2026/09/newer/' rel='next'>下一篇 校车线路调整</a></li>", "prev-next"),
        ("<li><a href='/2026/07/other/'>Term dates agreed</a></li>", None),  # no rel: a list entry like any
        # A sentence that links one tag is running text, not the tag list.
        (
            "<p>The board met to discuss <a href='/tag/exams/' rel='tag'>exams</a> and the new timetable.</p>",
            None,
        ),
    ],
)
def test_links_marked_as_tags_or_the_previous_and_next_post_are_furniture_in_any_language(
    markup: str, reason: str | None
) -> None:
    (block,) = split_blocks(lxml_html.fromstring(f"<div>{markup}</div>"), "https://blog.example.org/2026/08/post/")
    rules = first_drop(drop_tag_links, drop_prev_next_links)
    assert rules(block, {}).reason == reason


@pytest.mark.parametrize(
    ("markup", "dropped"),
    [
        ("<p>您当前的位置：<a href='/'>首页</a> &gt;&gt; <a href='/news/'>教育动态</a></p>", True),
        ("<p><a href='/'>Home</a> › <a href='/news/'>News</a> › Schools reopen</p>", True),  # the page, unlinked
        ("<p>当前页面: <a href='/'>首页</a> → <a href='/xw/'>新闻</a> → 正文</p>", True),
        ("<p><a href='/'>首页</a> | <a href='/xw/'>新闻</a></p>", False),  # a bar of links, no arrows
        ("<p>会议由<a href='/a'>市教育局</a>主办，<a href='/b'>市一中</a>承办。</p>", False),  # links in a sentence
        ("<p>收益率 &gt; 5%：<a href='/a'>基金甲</a> &gt; <a href='/b'>基金乙</a>，排名如下。</p>", False),
    ],
)
def test_a_breadcrumb_is_known_by_its_links_parted_by_arrows(markup: str, dropped: bool) -> None:
    (block,) = blocks_of(markup)
    assert (drop_breadcrumb(block, {}).reason == "navigation") is dropped


@pytest.mark.parametrize(
    "note", ["（原标题：《研究生招生结构持续优化》）", "(原标题：某校举行开学典礼)", "原标题：某校举行开学典礼"]
)
def test_a_note_of_the_original_headline_is_about_the_text_in_brackets_or_not(note: str) -> None:
    assert drop_about_line(Block(note), {}).reason == "meta-line"
