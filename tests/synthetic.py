"""Synthetic articles for tests and benchmarks: distinct, deterministic, realistic in shape."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from crawler.extraction.items import Article

#: Common Chinese characters to draw text from; random draws from 500 characters share few 5-grams.
CHARACTER_POOL = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面"
    "而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性"
    "好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第"
    "向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管"
    "特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处"
    "队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单"
    "风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土"
    "许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省"
    "列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置"
    "派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞"
)
BASE_TIME = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def synthetic_text(rng: random.Random, paragraphs: int = 3, length: int = 90) -> list[str]:
    return ["".join(rng.choice(CHARACTER_POOL) for _ in range(length)) + "。" for _ in range(paragraphs)]


def synthetic_article(index: int, *, seed: int = 11, host: str = "www.synthetic-edu.cn") -> Article:
    """Article number ``index``: its own URL, headline and text, the same every time it is asked for."""
    rng = random.Random(seed * 1_000_003 + index)
    paragraphs = synthetic_text(rng)
    published = BASE_TIME - timedelta(minutes=index)
    return Article(
        url=f"http://{host}/news/{index // 1000}/{index}.html",
        title=f"合成测试新闻第{index}号：" + "".join(rng.choice(CHARACTER_POOL) for _ in range(12)),
        text="\n".join(paragraphs),
        paragraphs=paragraphs,
        published_at=published.isoformat(),
        source="合成日报",
        site_name="合成教育网",
        language="zh",
        fetched_at=(BASE_TIME + timedelta(days=1)).isoformat(),
    )
