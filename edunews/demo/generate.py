"""Generated education-news articles for crawls larger than the saved pages: deterministic, each one
its own story, so a 5,000-page crawl stores 5,000 articles and not one article 5,000 times.

Every sentence template carries something that belongs to one article only (its school, county, people,
dates or figures), and the fixed words between slots are short, so two generated articles share few
sentences and few 5-character shingles, which is what the near-duplicate filter compares.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape

from edunews.demo.bundle import CHINA

#: Seed of every generated article's random stream; article ``n`` draws from ``SEED * 1_000_003 + n``.
SEED = 20240305
#: The newest generated article; article ``n`` is ``n`` steps of ``STEP`` older, an irregular interval
#: so that publication times do not all fall on the hour.
NEWEST = datetime(2026, 10, 31, 18, 20, tzinfo=CHINA)
STEP = timedelta(hours=2, minutes=37)
#: Numeric ids in generated paths start here, clear of the bundled multi-page article's 12345.
FIRST_ID = 30001

#: County names are a first character, a second character and a suffix; with the school kinds below
#: they give ``len(COUNTY_FIRST) * len(COUNTY_SECOND) * len(SCHOOL_KINDS)`` distinct schools.
COUNTY_FIRST = "青云清安永泰宁平兴和长丰乐新德华吉建江金静开临龙茂南普庆瑞尚石顺松桃通文武仙阳玉岳"
COUNTY_SECOND = "溪川山河源林城湖岭泉峰水州原田谷台口坪湾塘桥滨洲陵昌化明康远定乡阜浦岗沙渡坝关"
COUNTY_SUFFIX = ("县", "区", "县", "市", "县")
SCHOOL_KINDS = (
    "第一中学", "实验小学", "第二中学", "职业中学", "中心小学", "实验中学",
    "第三小学", "民族中学", "外国语学校", "第四中学", "育才小学", "九年一贯制学校",
)  # fmt: skip
DISTINCT_SCHOOLS = len(COUNTY_FIRST) * len(COUNTY_SECOND) * len(SCHOOL_KINDS)
#: A further character in the county's name for each later round of ``DISTINCT_SCHOOLS`` articles
#: (``青溪东县``): crawls larger than one round still meet a new school in every article.
ROUND_MARKS = "东西南北中上下"
#: How many generated articles are each about a school of their own.
GENERATED_CAPACITY = DISTINCT_SCHOOLS * (1 + len(ROUND_MARKS))
#: Multiplier that scatters consecutive article numbers over the schools (coprime to their number).
SCATTER = 7919

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华红建文玉兰志国海燕晨辉鹏飞婷雪梅琳宇浩欣悦然凯博"

ROLES = ("校长", "党支部书记", "副校长", "教务处主任", "德育处主任", "年级组长", "班主任", "教研组长")
OFFICES = ("县教育局", "县教育体育局", "县教科局", "县关工委", "县妇联", "县卫健委", "县科协", "县文旅局")
VENUES = ("学术报告厅", "田径场", "图书馆", "综合实践基地", "多功能厅", "体育馆", "科技楼", "劳动实践园")
GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级", "高一", "高二")
COURSES = (
    "非遗剪纸", "机器人编程", "校园足球", "合唱", "书法", "围棋", "陶艺", "科学实验", "创客", "古诗词诵读",
    "花样跳绳", "民族舞蹈", "航模", "茶艺", "木工", "种植", "无人机", "篆刻", "版画", "口语交际",
)  # fmt: skip


@dataclass(frozen=True)
class Topic:
    """One kind of school story: its headline endings and the words its sentences fill in."""

    headlines: tuple[str, ...]
    event: str
    aim: str
    measures: tuple[str, ...]


TOPICS = (
    Topic(("开展劳动教育实践周活动", "劳动教育课程全面铺开"), "劳动教育实践周",
          "引导学生在动手实践中体会劳动价值", ("整理内务", "校园种植", "烹饪体验", "农具认识", "手工编织", "垃圾分类")),
    Topic(("举行校园心理健康月启动仪式", "多举措守护学生心理健康"), "心理健康月",
          "帮助学生学会调节情绪、悦纳自我", ("团体辅导", "沙盘游戏", "心理讲座", "谈心谈话", "情绪日记", "朋辈互助")),
    Topic(("课后服务“提质增效”见实效", "课后服务菜单再扩容"), "课后服务展示",
          "满足学生多样化学习需求", ("作业辅导", "社团活动", "阅读指导", "体育锻炼", "兴趣小组", "托管看护")),
    Topic(("举办第二届校园科技节", "科技创新教育结硕果"), "校园科技节",
          "激发学生的科学兴趣和创新意识", ("科普讲座", "创意搭建", "水火箭发射", "小发明评比", "天文观测", "编程挑战")),
    Topic(("开展春季校园安全隐患排查", "筑牢校园安全防线"), "校园安全专项检查",
          "切实保障师生生命财产安全", ("消防演练", "食堂检查", "防溺水教育", "交通安全课", "地震疏散", "校车排查")),
    Topic(("启动“书香校园”阅读工程", "举办校园读书月活动"), "书香校园读书月",
          "让阅读成为师生的生活方式", ("好书推荐", "亲子共读", "读书分享会", "图书漂流", "经典诵读", "读书笔记展")),
    Topic(("新教师入职培训正式开班", "青年教师教学基本功大赛落幕"), "青年教师培训",
          "加快青年教师专业成长", ("师徒结对", "课堂观摩", "说课评课", "教学反思", "板书比赛", "课件制作")),
    Topic(("召开家长学校开学第一课", "家校共育工作再上新台阶"), "家长学校专题讲座",
          "形成家校协同育人合力", ("家访", "家长开放日", "家庭教育讲座", "家委会座谈", "亲子运动", "家长进课堂")),
    Topic(("阳光体育大课间展风采", "举行春季田径运动会"), "阳光体育运动会",
          "保证学生每天校内外各一小时体育活动", ("大课间", "体质监测", "趣味接力", "班级联赛", "拔河比赛", "跳绳打卡")),
    Topic(("组织学生赴红色教育基地研学", "研学实践课程受学生欢迎"), "研学实践活动",
          "在行走的课堂中厚植家国情怀",
          ("参观纪念馆", "重走红军路", "聆听老党员讲述", "撰写研学日记", "寻访老街", "田野调查")),
    Topic(("营养午餐让学生吃得更安心", "食堂“明厨亮灶”改造完成"), "营养改善计划推进会",
          "保障学生吃得饱、吃得好、吃得安全", ("陪餐制度", "食材溯源", "膳食公示", "光盘行动", "营养课堂", "后厨开放")),
    Topic(("教育帮扶送教下乡", "城乡学校结对共建"), "城乡结对帮扶",
          "推动城乡教育优质均衡发展", ("送教下乡", "同步课堂", "教师交流轮岗", "联合教研", "名师工作室", "课例研讨")),
)  # fmt: skip

#: The story's opening sentence. Templates name slots in braces (see ``facts`` and ``figures``) and
#: offer alternative wordings in brackets, ``[甲|乙]``, one picked per sentence: stock phrasing is what
#: generated articles would otherwise share.
LEADS = (
    "{m}月{d}日，{school}在{venue}[举行|举办|隆重举行]{event}，[全校|该校|学校]{students}余名师生[参加|参与|齐聚一堂]。",
    "[近日|日前|本周]，{school}以“{course}进校园”为[切入点|抓手|突破口][开展|组织|启动]{event}，{grades}共{classes}个班级参与。",
    "{m}月{d}日[上午|下午]，{county}{office}在{school}[召开|举行]{event}现场会，{n1}所学校的[负责人|校长|分管领导]观摩学习。",
    "为{aim}，{school}于{m}月{d}日起[开展|组织开展|举办]为期{days}天的{event}。",
)
#: Body sentences; each names something of this article only. People keep one part each: ``head`` leads
#: the school, ``pupil`` is a student, ``teacher`` a class teacher, ``official`` works for the county,
#: ``parent`` and ``expert`` are visitors.
SENTENCES = (
    "活动由{role}{head}[主持|组织|统筹]，{county}{office}[相关负责人|分管领导|工作人员][到场指导|出席|全程参与]。",
    "[据了解|据介绍|记者了解到]，[该校|学校|{school}]现有[教学班|班级]{classes}个、在校[学生|生]{students}人，专任教师{teachers}名。",
    "“{aim}，[是我们办学的初心|一直是学校的追求|是这项工作的出发点]。”{role}{head}[在接受采访时说|对记者说|介绍]。",
    "[近年来|近三年|“十四五”以来]，{county}[累计投入|共投入|投入]资金{money}万元，[新建、改扩建|新建|改扩建]校舍{n1}所。",
    "[今年以来|本学期|新学期以来]，[学校|该校]开设{course}、{course2}等校本课程{n2}门，学生[参与率达|参与面达到]{pct}%。",
    "{grade}学生{pupil}[告诉记者|对记者说|高兴地说]，自己最喜欢{measure}[环节|这一项|的部分]，“{course}让我[交到了新朋友|变得更自信|学会了坚持]”。",
    "[活动现场|现场]，{n2}名{grade}学生围绕{measure}[分组展示|轮流上台|依次亮相]，[赢得|收获]{n3}位家长的[阵阵掌声|一致好评|热烈掌声]。",
    "截至{m}月[底|中旬|初]，{county}已有{n1}所[学校|中小学|乡村学校]把{measure}纳入[日常教学安排|课程计划|学期工作计划]。",
    "[该校|学校]还[邀请|请来|特邀]{county}{partner}的{expert}为[师生|学生|全体师生][讲解|示范|介绍]{measure}的[要领|方法|注意事项]。",
    "在{venue}，{pupil}和[同学们|伙伴们|几名同学]一起完成了{measure}，[用时|只用了|前后花了]{minutes}分钟。",
    "{head}[介绍|说|表示]，学校把{event}与{course}社团[结合起来|融为一体|统筹安排]，已[坚持|持续]{years}年。",
    "{county}{office}[数据显示|统计显示|提供的数据表明]，全{county_kind}{pupils}名中小学生中有{pct}%[参加过|体验过|参与过]{measure}。",
    "[下一步|接下来|今后]，{school}将围绕{measure}[制定|出台|细化]{n2}项[具体措施|工作举措|落实办法]，力争在{year}年底前[全部落实|落地见效|全面完成]。",
    "{school}[创办于|始建于|建于]{founded}年，前身是{county}{old_name}。",
    "据{county}{office}统计，[去年|上一学年|过去一年]全{county_kind}共组织{measure}{n1}场次，覆盖学生{visits}人次。",
    "{grade}{cls}班班主任{teacher}[说|感慨|告诉记者]：“孩子们在{measure}中[学会了合作|懂得了分享|更有耐心了]，这比分数更重要。”",
    "为[做好|办好|组织好]{event}，学校提前{days}天成立[工作专班|筹备小组|领导小组]，由{role}{head}任组长。",
    "{county}今年计划[新招聘|招聘|补充]教师{hires}名，其中{n2}名[充实到|分配到|安排到]乡村学校。",
    "家长{parent}在{event}后[留言|发来消息|在班级群里说]：“{course}课让孩子[回家愿意主动分享了|变得爱提问了|每天都盼着上学]。”",
    "[该校|学校]与{county}{partner}[签订合作协议|达成合作|签约]，共建{course}实践基地{n3}个。",
    "在{m2}月{d2}日的{measure}[比赛|评比|展示]中，{grade}的{pupil}[获得一等奖|拿下第一名|获评优秀]。",
    "学校还利用{venue}开展{course}[展演|汇报演出|成果展示]，{n3}个节目[全部|均]由学生[自编自演|自己设计|独立完成]。",
    "{county}{office}要求，各校要在{m2}月{d2}日前[报送|上报|提交]{event}[工作总结|开展情况|总结材料]。",
    "{head}表示，学校将[继续|进一步|始终]把{measure}作为{aim}的[重要抓手|重要载体|有效途径]。",
    "[目前|眼下|截至目前]，[该校|学校]已培养{course}方向骨干教师{n2}人，编写校本教材{n3}册。",
    "{grade}{cls}班的{n3}名学生在老师{teacher}的[带领|指导|组织]下完成了{measure}任务。",
    "{year}年，{school}[被评为|获评|被授予]“{county}{honor}”，这是该校第{n3}次[获此称号|获此殊荣|入选]。",
    "一位参加{event}的家长算了[一笔账|笔账]：每周{n3}次{measure}，[一学期下来|一个学期|一年下来]孩子要多出{hours}个小时的实践时间。",
    "{county}{office}负责人{official}[说|透露|介绍]，全{county_kind}将在{year}年实现{measure}[校校全覆盖|全覆盖|常态化]。",
    "[学校|该校]投入{money2}万元[改造|升级|翻新]{venue}，新增{course}功能室{n3}间。",
    "“第一次[参加|尝试|接触]{measure}有点紧张，后来就越做越顺手了。”{grade}学生{pupil}[笑着说|说|告诉记者]。",
    "从{m2}月起，[该校|学校]把每周{weekday}下午定为{course}活动时间，{students}名学生[全员参与|全部参加|人人参与]。",
    "{county}{partner}的{expert}带来了{measure}[专题课|示范课|讲座]，{n2}名教师现场[旁听|观摩|学习]。",
    "据悉，{school}距{county}城区约{km}公里，学生中留守儿童占{pct2}%。",
    "{event}共设{n3}个[板块|环节|项目]，{measure}和{course}最受欢迎，报名人数超过{signups}人。",
    "{role}{head}坦言，学校在{measure}方面[起步较晚|基础薄弱|经验不足]，师资仍有{n3}名缺口。",
    "{county}已连续{years}年把{event}列入[教育工作要点|年度重点工作|民生实事]，并安排专项经费{money2}万元。",
    "此次{event}还吸引了{county}{partner}等{n3}家单位参与，提供志愿[岗位|服务岗]{n2}个。",
    "学校要求每名教师每学期至少[指导|带领|辅导]{n3}名学生参加{measure}。",
    "“{course}不是点缀，要真正进课表。”{county}{office}的{official}在[总结时强调|会上强调|点评时说]。",
)
PARTNERS = ("青少年活动中心", "消防救援大队", "图书馆", "科技馆", "文化馆", "博物馆", "中医院", "农业农村局")
HONORS = ("文明校园", "平安校园", "书香校园", "绿色学校", "体育特色学校", "科技教育示范校")
OLD_NAMES = ("公社中学", "人民小学", "城关小学", "农业中学", "师范附属小学", "乡中心学校")
WEEKDAYS = "一二三四五"
EDITOR_PREFIXES = ("责任编辑", "编辑", "审核")


@dataclass(frozen=True)
class GeneratedArticle:
    """One generated article page."""

    number: int
    path: str
    title: str
    published: datetime
    body: bytes
    """UTF-8 HTML."""


def school_of(number: int) -> tuple[str, str]:
    """The (county, school) that article ``number`` reports on; distinct for the first
    ``GENERATED_CAPACITY`` numbers, so no two generated stories are about the same school. The first
    ``DISTINCT_SCHOOLS`` keep two-character county names; each later round adds one of ``ROUND_MARKS``."""
    round_number, index = divmod(number, DISTINCT_SCHOOLS)
    index = (index * SCATTER) % DISTINCT_SCHOOLS
    index, kind = divmod(index, len(SCHOOL_KINDS))
    first, second = divmod(index, len(COUNTY_SECOND))
    mark = ROUND_MARKS[round_number - 1] if round_number else ""
    county = COUNTY_FIRST[first] + COUNTY_SECOND[second] + mark + COUNTY_SUFFIX[(first + second) % len(COUNTY_SUFFIX)]
    return county, county + SCHOOL_KINDS[kind]


def person(rng: random.Random) -> str:
    """A plausible Chinese name: a surname and one or two given-name characters."""
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def facts(rng: random.Random, county: str, school: str, topic: Topic, published: datetime) -> dict[str, str]:
    """What stays true through one article: its school, people, event and the school's own figures."""
    event_day = published - timedelta(days=rng.randint(1, 4))
    courses = rng.sample(COURSES, 2)
    return {
        "county": county,
        "county_kind": county[-1],
        "school": school,
        "event": topic.event,
        "aim": topic.aim,
        "course": courses[0],
        "course2": courses[1],
        "venue": rng.choice(VENUES),
        "office": rng.choice(OFFICES)[1:],
        "partner": rng.choice(PARTNERS),
        "honor": rng.choice(HONORS),
        "old_name": rng.choice(OLD_NAMES),
        "role": rng.choice(ROLES),
        "grades": "、".join(rng.sample(GRADES, 2)),
        "head": person(rng),
        "official": person(rng),
        "parent": person(rng),
        "expert": person(rng),
        "m": str(event_day.month),
        "d": str(event_day.day),
        "year": str(published.year + rng.randint(0, 1)),
        "founded": str(rng.randint(1905, 1998)),
        "weekday": rng.choice(WEEKDAYS),
        "students": str(rng.randint(180, 4800)),
        "teachers": str(rng.randint(16, 420)),
        "classes": str(rng.randint(6, 96)),
        "pupils": str(rng.randint(8000, 160000)),
        "km": str(rng.randint(3, 140)),
    }


class Figures(dict[str, str]):
    """What one sentence adds: its own activity, pupil and counts, drawn only when the sentence names
    them. Per sentence, because one small number repeated through an article would make every article
    that drew it alike."""

    def __init__(self, rng: random.Random, known: dict[str, str], topic: Topic) -> None:
        super().__init__(known)
        self.rng = rng
        self.topic = topic

    def __missing__(self, key: str) -> str:
        value = FIGURES[key](self.rng, self.topic)
        self[key] = value
        return value


def number(low: int, high: int) -> Callable[[random.Random, Topic], str]:
    return lambda rng, topic: str(rng.randint(low, high))


FIGURES: dict[str, Callable[[random.Random, Topic], str]] = {
    "measure": lambda rng, topic: rng.choice(topic.measures),
    "grade": lambda rng, topic: rng.choice(GRADES),
    "pupil": lambda rng, topic: person(rng),
    "teacher": lambda rng, topic: person(rng),
    "money2": lambda rng, topic: f"{rng.randint(8, 900)}.{rng.randint(1, 9)}",
    "cls": number(1, 12),
    "m2": number(1, 12),
    "d2": number(1, 28),
    "hires": number(20, 600),
    "visits": number(1200, 90000),
    "signups": number(40, 1900),
    "n1": number(5, 160),
    "n2": number(3, 60),
    "n3": number(2, 19),
    "pct": number(61, 99),
    "pct2": number(8, 57),
    "money": number(120, 98000),
    "days": number(3, 30),
    "years": number(2, 15),
    "minutes": number(12, 95),
    "hours": number(18, 120),
}
ALTERNATIVES = re.compile(r"\[([^\]]+)\]")


def sentence(rng: random.Random, template: str, known: dict[str, str], topic: Topic) -> str:
    """One sentence: a wording picked for each ``[甲|乙]``, then the slots filled."""
    worded = ALTERNATIVES.sub(lambda match: rng.choice(match.group(1).split("|")), template)
    return worded.format_map(Figures(rng, known, topic))


def paragraphs(rng: random.Random, known: dict[str, str], topic: Topic) -> list[str]:
    """4-6 paragraphs: the lead sentence first, then 3-4 body sentences each, never one twice."""
    count = rng.randint(4, 6)
    templates = rng.sample(SENTENCES, 1 + (count - 1) * 4)
    result = [sentence(rng, rng.choice(LEADS), known, topic) + sentence(rng, templates[0], known, topic)]
    cursor = 1
    for _ in range(count - 1):
        size = rng.randint(3, 4)
        result.append("".join(sentence(rng, t, known, topic) for t in templates[cursor : cursor + size]))
        cursor += size
    return result


def published_at(number: int) -> datetime:
    """When generated article ``number`` appeared: the first is the newest."""
    return NEWEST - STEP * (number - 1)


def article_html(title: str, published: datetime, known: dict[str, str], texts: list[str], byline: str) -> str:
    """A plain county-portal article template: breadcrumb, ``<h1>``, meta line, ``div.article-content``."""
    local = published.astimezone(CHINA)
    body = "\n".join(f'<p style="text-indent:2em;">{escape(text)}</p>' for text in texts)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{escape(title)}_教育新闻_示范教育网</title>
<meta name="keywords" content="{escape(known["county"])},{escape(known["event"])},教育新闻">
<meta name="publishdate" content="{local:%Y-%m-%d %H:%M}">
</head>
<body>
<div class="top"><a href="/">示范教育网</a> | <a href="/news/">教育新闻</a> | <a href="/notices/">通知公告</a></div>
<div class="position">您现在的位置：<a href="/">首页</a> &gt; <a href="/news/">教育新闻</a> &gt; 正文</div>
<div class="article">
<h1>{escape(title)}</h1>
<div class="info">发布时间：{local:%Y-%m-%d %H:%M}&nbsp;&nbsp;来源：{escape(known["county"])}融媒体中心\
&nbsp;&nbsp;浏览次数：<span id="hits"></span></div>
<div class="article-content">
{body}
<p style="text-align:right;">（{escape(byline)}）</p>
</div>
<div class="share">分享到：<a href="#" class="bds_weixin">微信</a> <a href="#" class="bds_tsina">微博</a></div>
</div>
<div class="footer"><p>主办单位：示范教育网 版权所有 未经授权请勿转载</p><p>示ICP备00000000号-1</p></div>
</body>
</html>
"""


def generated_article(number: int) -> GeneratedArticle:
    """Generated article ``number`` (1-based), the same on every call and in every process."""
    rng = random.Random(SEED * 1_000_003 + number)
    county, school = school_of(number)
    topic = rng.choice(TOPICS)
    published = published_at(number)
    known = facts(rng, county, school, topic, published)
    title = school + rng.choice(topic.headlines)
    byline = f"通讯员 {person(rng)}　{rng.choice(EDITOR_PREFIXES)}：{person(rng)}"
    html = article_html(title, published, known, paragraphs(rng, known, topic), byline)
    local = published.astimezone(CHINA)
    path = f"/news/{local:%Y}/{local:%m%d}/{FIRST_ID + number - 1}.html"
    return GeneratedArticle(number, path, title, published, html.encode("utf-8"))
