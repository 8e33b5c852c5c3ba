"""Two editions of a templated enrolment notice (a city bureau's 2024 and 2025 notices: the same
opening and closing paragraphs around cores that differ whole) and a content farm's copy of each with
every digit stripped, as saved pages (body bytes, headers, URL). Invented text."""

from __future__ import annotations

import json
from pathlib import Path

#: The bureau's page template: a government CMS article page with its furniture around the text.
BUREAU_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}_通知公告_临江市教育局</title>
<meta name="SiteName" content="临江市教育局"><meta name="PubDate" content="{date} 09:30">
<meta name="ContentSource" content="临江市教育局"></head>
<body><div class="nav"><a href="/">首页</a> <a href="/tzgg/">通知公告</a> <a href="/zcwj/">政策文件</a></div>
<div class="article"><h1>{title}</h1>
<div class="info">发布时间：{date} 09:30　来源：临江市教育局　浏览次数：<span id="hits"></span></div>
<div class="content">{body}</div></div>
<div class="footer">主办：临江市教育局　地址：临江市滨江大道88号　备案号：滇ICP备05004418号</div>
</body></html>"""
#: The content farm's template: the copy inside an advert-laden page, a reprint notice after it.
FARM_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}-升学资讯网</title></head>
<body><div class="top"><a href="/">升学资讯网</a> <a href="/gaokao/">高考</a> <a href="/zhongkao/">中考</a></div>
<div class="article"><h2>{title}</h2><div class="meta">时间：{date} 来源：临江市教育局</div>
<div class="content">
<p>北京治疗白癜风哪家医院好 <a href="http://m.bdf-zx.example.com/">http://m.bdf-zx.example.com/</a></p>
{body}<p>转载请注明地址：{url}</p></div></div>
<div class="footer">升学资讯网 版权所有</div></body></html>"""

OPENING = (
    "为做好{y}年全市普通高中招生工作，根据省教育厅《关于做好{y}年普通高中招生工作的通知》精神，结合我市实际，"
    "现将有关事项通知如下。",
    "一、招生对象。凡具有本市户籍或在本市初中学校连续就读满三年、参加{y}年全市初中学业水平考试的应届毕业生，"
    "均可在规定时间内报名。往届生报名须持户籍证明到所在县（市、区）招生办公室现场确认。",
)
CLOSING = (
    "五、工作要求。各县（市、区）教育局要高度重视招生工作，加强组织领导，严格执行招生计划，规范招生行为，"
    "严禁违规提前招生、跨区域掐尖招生和以各种名义变相举办重点班。各学校要认真做好招生政策的宣传解读，"
    "主动回应社会关切，确保招生工作平稳有序。",
    "六、监督举报。市教育局设立招生监督举报电话，对群众反映的违规招生问题，发现一起、查处一起，"
    "并依法依规追究有关学校和人员的责任。",
    "七、咨询方式。考生和家长可登录市教育局门户网站“招生考试”专栏查询有关政策，"
    "或在工作日拨打招生咨询电话0871-635{z}进行咨询。",
    "本通知自印发之日起施行，由市教育局负责解释。",
    "临江市教育局办公室",
    "{y}年{m}月{d}日",
)
CORES = {
    2024: (
        "二、志愿填报。今年继续实行网上填报志愿，第一批次为省一级示范高中，每名考生可填报两个学校志愿；"
        "第二批次为其他公办普通高中，可填报三个学校志愿并选择是否服从调剂。",
        "三、录取办法。录取按照分数优先、遵循志愿的原则进行，同分考生依次比较语文、数学、英语单科成绩。"
        "体育特长生须参加专项测试，合格者方可降低二十分录取。",
        "四、收费标准。公办学校住宿费每生每学期四百元，民办学校收费按物价部门核定的标准执行，不得另立名目。",
    ),
    2025: (
        "二、综合素质评价。自今年起，初中学生综合素质评价结果首次纳入升学依据，"
        "评价等级为D的学生不具备报考优质高中的资格。"
        "各初中须在五月底前完成评价材料公示，公示期不少于五个工作日，公示无异议后上传省级管理平台。",
        "三、指标到校。优质高中按不低于百分之六十的比例将计划名额分配到区域内各初中，"
        "分配名额向农村和薄弱初中倾斜，未用完的指标名额不得挪作他用。",
        "四、特殊群体。随迁子女、退役军人子女和烈士子女按照国家有关规定享受照顾政策，须在报名时提交相关证明材料。",
    ),
}
#: Edition → (publication date, telephone digits); the title names the year.
EDITIONS = {2024: ("2024-05-08", "1024"), 2025: ("2025-05-09", "2187")}


def notice_paragraphs(year: int) -> list[str]:
    date, phone = EDITIONS[year]
    _, month, day = date.split("-")
    values = {"y": year, "m": int(month), "d": int(day), "z": phone}
    return [line.format(**values) for line in (*OPENING, *CORES[year], *CLOSING)]


def title(year: int) -> str:
    return f"关于做好{year}年全市普通高中招生工作的通知"


def strip_digits(text: str) -> str:
    return "".join(character for character in text if not character.isdigit())


def _save(folder: Path, url: str, html: str, fetched_at: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "body.html").write_bytes(html.encode("utf-8"))
    headers = {"Content-Type": "text/html; charset=utf-8"}
    info = {"url": url, "status": 200, "headers": headers, "fetched_at": fetched_at}
    (folder / "response.json").write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    return folder


def save_notices(root: Path) -> dict[str, Path]:
    """The four pages saved under ``root``, by name: ``bureau-2024``, ``bureau-2025``, ``farm-2024``,
    ``farm-2025`` (the farm's copies digit-stripped, reposted a day after each edition)."""
    pages = {}
    for year, (date, _) in EDITIONS.items():
        body = "".join(f"<p>{line}</p>" for line in notice_paragraphs(year))
        url = f"http://jyj.linjiang-demo.gov.cn/tzgg/{year}05/t{date.replace('-', '')}_{year - 2000}17.html"
        html = BUREAU_PAGE.format(title=title(year), date=date, body=body)
        pages[f"bureau-{year}"] = _save(root / f"bureau-{year}", url, html, f"{year}-05-20T10:00:00+08:00")
        farm_url = f"http://www.shengxue-zx.example.com/zhongkao/{year}88.html"
        farm = FARM_PAGE.format(title=strip_digits(title(year)), date="", body=strip_digits(body), url=farm_url)
        pages[f"farm-{year}"] = _save(root / f"farm-{year}", farm_url, farm, f"{year}-05-21T10:00:00+08:00")
    return pages
