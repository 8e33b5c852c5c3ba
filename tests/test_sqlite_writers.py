"""Several processes writing one SQLite file (issue 17): one writer at a time, from the first lookup of a
transaction to its commit, and one migration of a new file. Real crawls (``python -m edunews crawl``)
against a small site on 127.0.0.1, checked in the database they wrote."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from test_site_settings import STORY, Site, crawl, listing

#: Rounds of two crawls started together into a new file. Before the fix, 1 round in 3 stored a text
#: twice and 1 in 4 failed on the schema ("table already exists"): ten rounds meet each race with a
#: probability above 94 %, in about half a minute.
ROUNDS = 10
#: Stories of the site, each published in two sections (an original and a repost under another URL).
STORIES = {
    "1.html": ("寒假安全工作部署", STORY),
    "2.html": (
        "市图书馆暑期开放时间调整",
        "<p>市图书馆发布通知，暑期开放时间延长至每晚九点，少儿阅览室增设亲子阅读专区，欢迎市民带孩子前来借阅图书。</p>"
        "<p>图书馆还将举办二十场公益讲座，内容涵盖科普知识、传统文化和阅读方法，所有讲座免费向公众开放并提供网上预约。</p>",
    ),
    "3.html": (
        "全市教师技能大赛落幕",
        "<p>为期三天的全市中小学教师教学技能大赛昨日落下帷幕，来自八十所学校的二百余名青年教师参加了课堂展示和说课比赛。</p>"
        "<p>评委会从教学设计、课堂组织和信息技术应用等方面进行评分，最终评选出一等奖十五名，获奖教师将代表本市参加省赛。</p>",
    ),
}
#: The two sections, one crawled by each process: the same texts under other URLs, as a content farm
#: reposts a bureau's news.
SECTIONS = ("/bureau/", "/farm/")


class TogetherSite(Site):
    """Answers a request for a story only once the other crawl has asked for its copy too (or after
    5 s), so the two crawls store each text at the same moment, as two long crawls of one site keep
    doing: without it one process's start-up may run a whole small crawl ahead of the other's."""

    def __init__(self) -> None:
        pages = {section: listing([f"{section}news/2026/1120/{name}" for name in STORIES]) for section in SECTIONS}
        for section in SECTIONS:
            for name, (title, story) in STORIES.items():
                pages[f"{section}news/2026/1120/{name}"] = (
                    f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{story}</body></html>"
                )
        super().__init__(pages)
        self.barriers = {name: threading.Barrier(len(SECTIONS), timeout=5) for name in STORIES}

    def hold(self, path: str) -> None:
        barrier = self.barriers.get(path.rsplit("/", 1)[-1])
        if barrier is None:
            return
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            barrier.reset()


def test_two_crawls_started_together_into_a_new_sqlite_file_store_each_text_once(tmp_path: Path) -> None:
    site = TogetherSite()
    try:
        for round_ in range(ROUNDS):
            folder = tmp_path / str(round_)
            db = folder / "news.sqlite"
            crawls = []
            for section in SECTIONS:
                start = f"{site.url()}{section}"
                profile = f'[site]\nname = "s"\ndomains = ["127.0.0.1"]\n[crawl]\nstart_urls = ["{start}"]\n'
                (folder / section.strip("/")).mkdir(parents=True)
                crawls.append(crawl(folder / section.strip("/"), profile, db, wait=False))
            for process in crawls:
                out, err = process.communicate(timeout=300)
                assert process.returncode == 0, f"round {round_}: {err[-3000:]}"
            with sqlite3.connect(db) as connection:
                fingerprints = [row[0] for row in connection.execute("SELECT fingerprint FROM articles")]
                urls = connection.execute("SELECT count(DISTINCT url) FROM sightings").fetchone()[0]
            assert len(fingerprints) == len(set(fingerprints)), f"round {round_}: a text stored twice"
            assert (len(fingerprints), urls) == (len(STORIES), len(STORIES) * len(SECTIONS))
    finally:
        site.close()
