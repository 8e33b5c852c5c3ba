r"""Named selectors, regexes and word lists that extraction and cleaning rules are built from.

The phrases of the furniture and byline rules are data, one file per language
(``crawler/extraction/vocabulary/``); a rule here sets them in its frame (where on the line they stand).

Every pattern here reads page text, so it must run in time linear in the text: no two quantifiers that
can hand the same characters back and forth (``(\d+|…)+$``, ``^\s*[【]?\s*``). Leading white space is
taken possessively (``^\s*+``), runs of tokens possessively (``(…)++``). tests/test_linear_patterns.py
runs every compiled pattern of ``crawler`` and ``pipelines`` on adversarial lines and fails on any that
does not; the vocabulary stays on Python's ``re`` (not re2) because its rules need look-arounds.
"""

from __future__ import annotations

import re

from crawler.extraction.vocabulary import alternation, entries, members, vocabulary

#: The bars pages put between a label and what it labels, in each width and code point they use: the
#: ASCII and full-width bars, 丨 (a Chinese character), ︱ and │ (drawing bars).
BAR = "|｜丨︱│"
#: What stands between a byline's label and its names: a colon, or a bar, slash or the printed byline's
#: ◎ put for one (作者：王某, 文丨王某, 文／王某, 文◎王某).
LABEL_MARK = "[:：/／◎" + BAR + "]"
#: The marks a printed paper's byline opens with, before a label or the names alone (□本报记者 王某, ◎王某).
BYLINE_MARKS = "□■◎●○◆◇"
#: The dots that join the parts of a transcribed name (约翰·史密斯): the middle dot, and the bullet and
#: katakana and hyphenation dots that pages type for it (约翰•史密斯, 约翰・史密斯).
NAME_DOT = "·•・‧∙･"
#: A transcribed name, its parts joined by one of those dots (阿不都热合曼·买买提, 比令·巴度).
TRANSCRIBED_NAME = r"[\u4e00-\u9fff]{1,10}(?:[" + NAME_DOT + r"][\u4e00-\u9fff]{1,10}){1,3}"

# --- Locating the article ------------------------------------------------------------------------

#: Elements whose content is never article text. (Not <form>: ASP.NET and VSB pages wrap the whole page in one.)
#: MathML read as words is a soup of symbols ("x 2" for x squared); pages show readers formulas, not that.
#: Ruby annotations (<rt>, <rp>: furigana, pinyin) are read beside their text, not inside it.
SKIP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "iframe",
        "input",
        "select",
        "textarea",
        "button",
        "template",
        "svg",
        "math",
        "rt",
        "rp",
        "object",
        "embed",
        "link",
        "meta",
        "head",
        "title",
    }
)

#: ARIA roles of controls whose labels are never article text: a ``<div role="button">`` is skipped as a
#: ``<button>`` is.
SKIP_ROLES = frozenset({"button"})

#: Elements that start a new block of text.
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "figure",
        "figcaption",
        "center",
        "pre",
        "hr",
        "nav",
        "main",
        "address",
        "caption",
        "form",
    }
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Link density, the share of a block's text that sits in links, is one measure (``Block.mostly_links``).
#: A block at least this share links is a link: a link list that weighs against the body, a list entry,
#: not a headline.
LINK_BLOCK_DENSITY = 0.5
#: Under a related-list heading a line is one more entry only from this share on: the list ends at the
#: first line that is not an entry, and the story's own next paragraph may carry a link or two (at 0.5
#: a linked sentence after a "see also" list was dropped with the list, on two devset pages).
LIST_ENTRY_DENSITY = 0.6
#: Shorter blocks without sentence punctuation are labels (a subheading, a date): they weigh nothing.
LABEL_CHARS = 60
#: Inline styles that hide an element from readers.
HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.I)
#: Class words that CSS frameworks and templates define as ``display: none`` (``hidden``, ``hide``,
#: Bootstrap's ``d-none``, Bulma's ``is-hidden``): a reader does not see what they mark at first ...
HIDDEN_CLASSES = frozenset({"hidden", "hide", "d-none", "is-hidden"})
#: ... unless another class word shows it from a screen width on (Bootstrap's ``d-md-block``, Tailwind's
#: ``md:flex``): hidden on phones, seen on a desktop.
SHOWN_FROM_BREAKPOINT = re.compile(r"^d-(?:sm|md|lg|xl|xxl)-(?!none)|^(?:sm|md|lg|xl|2xl):(?!hidden)")
#: Text hidden by a class is left out when its first this many letters and digits stand elsewhere on
#: the page too: a second copy.
HIDDEN_COPY_PROBE = 100

#: Words of class and id names that announce furniture, mapped to the reason it is dropped. A name is
#: cut into words at ``-``, ``_`` and lower-to-upper case changes (``relatedNews`` → related, news), and a
#: word must be one of these whole: ``relative`` and ``position-relative`` are layout, not related lists.
FURNITURE_WORDS: dict[str, str] = members("class-word")
#: Beginnings of such words (``advertisement``, ``sponsored``, ``relatedposts``, ``curpos``).
FURNITURE_WORD_STARTS: dict[str, str] = members("class-word-start")
#: A word that begins like one of those, or holds a share widget's name anywhere (``bdsharebuttonbox``).
FURNITURE_WORD_PART = re.compile(
    "^(?P<start>" + "|".join(FURNITURE_WORD_STARTS) + ")|" + "|".join(entries("class-word-part/share")), re.I
)
#: Furniture that is always small: an element named so that holds more text than this is a layout
#: wrapper that borrowed the word (``sharing-container`` around a whole story), not the widget.
SMALL_FURNITURE = frozenset(
    {"share", "ad", "navigation", "caption", "pagination", "prev-next", "author-bio", "sidebar"}
)
SMALL_FURNITURE_CHARS = 1500
#: Elements that hold furniture by their very name.
FURNITURE_TAGS = {"nav": "navigation", "aside": "related-list", "footer": "footer"}
#: The same furniture marked by its ARIA role, as templates built of ``<div>`` mark it for screen readers:
#: the site's menus and search, its header and footer, a box beside the story, a dialog over the page.
FURNITURE_ROLES = {
    "navigation": "navigation",
    "menu": "navigation",
    "menubar": "navigation",
    "search": "navigation",
    "banner": "navigation",
    "contentinfo": "footer",
    "complementary": "related-list",
    "dialog": "dialog",
    "alertdialog": "dialog",
    "toolbar": "share",
}
#: Elements that hold furniture by their name while they are small: a form set in a page is a sign-up,
#: search, review or comment box, but some frameworks (ASP.NET) wrap the whole page in one form.
SMALL_FURNITURE_TAGS = {"form": "form"}
#: Whole class names for previous/next links and page lists, which are too short to find by word.
FURNITURE_NAMES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"(article[-_]?)?(pre|prev|previous)[-_]?(and[-_]?)?next([-_]?(article|post|page|link|links|nav|box|wrap))?",
            re.I,
        ),
        "prev-next",
    ),
    (re.compile(r"(pre|prev|next)[-_](article|post|link|news)s?", re.I), "prev-next"),
    (re.compile(r"dede_pages|page[-_]nav|page[-_]list", re.I), "pagination"),
)
#: Class names that describe a state of the page (``has-ads``, ``no-comments``, ``flag-share-on``) or
#: the article's taxonomy (WordPress's ``tag-sponsoring``, ``category-ads``), not what an element holds.
STATE_CLASS = re.compile(
    r"^(has|no|is|flag|js|with|show|hide|enable|disable|tag|category|type|format|status|term)[-_]|^post-\d+$|"
    r"[-_](on|off|enabled|disabled)$",
    re.I,
)
#: Class names that file a post under its taxonomy (WordPress's and TypePad's ``category-news`` and
#: ``type-post`` or ``entry-type-post``, microformats' ``hentry``): they mark the element that holds a
#: whole post, whose other class names describe the post too (``author-admin``, ``entry-author-jsmith``
#: name its writer), never one piece of furniture. (``tag-`` and other ``type-`` names are left out: a
#: tag cloud, an advert's type.)
POST_CLASS = re.compile(r"^hentry$|(?:^|[-_])(?:category[-_]\w|type-post$)", re.I)
#: Elements that hold the whole page: their classes describe the page, never one piece of furniture.
PAGE_TAGS = frozenset({"html", "body"})

# --- Text ---------------------------------------------------------------------------------------

#: Traditional forms of the characters furniture patterns are written with, folded to simplified before
#: matching so Big5 pages (記者, 編輯, 上一篇, 來源) meet the same rules. One character for one, so a match's
#: span in the folded text is its span in the original.
TRADITIONAL_FOLD = str.maketrans(
    "記編輯責審報導訊轉載頁篇來時間發佈點擊瀏覽閱讀數相關推薦權網標識備許證條則攝圖關閉覽評論聲明僅觀點請勿經書面授與擊處辦單協會體齊頂於為"
    "專線諮詢殺眾團絲掃維碼訂級號設題籤類屬資詳機幾載戶歡迎請給傳際總製監讀錄說節電臺灣風雲時報聞員費╱",
    "记编辑责审报导讯转载页篇来时间发布点击浏览阅读数相关推荐权网标识备许证条则摄图关闭览评论声明仅观点请勿经书面授与击处办单协会体齐顶于为"
    "专线咨询杀众团丝扫维码订级号设题签类属资详机几载户欢迎请给传际总制监读录说节电台湾风云时报闻员费／",
)
#: Any of the characters ``TRADITIONAL_FOLD`` folds.
TRADITIONAL_CHAR = re.compile("[" + "".join(chr(code) for code in TRADITIONAL_FOLD) + "]")

CJK_CHAR = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# --- Sentences: every pattern that asks whether text is running text is built from these marks -----
#: Marks that end a sentence. A full-width Chinese mark ends one wherever it stands; a Latin one only
#: before white space or the end of the text, so that 3.5, example.com and v1.2 end nothing.
SENTENCE_END_MARKS = "。！？"
LATIN_SENTENCE_END_MARKS = ".!?"
#: A sentence's end: a tag, label or ad line has none.
SENTENCE_END = re.compile(rf"[{SENTENCE_END_MARKS}]|[{LATIN_SENTENCE_END_MARKS}](\s|$)")
#: A Latin sentence's end, but not the period of a day number (``7. oktober 2020``, ``02. November``).
SENTENCE_STOP = re.compile(rf"(?<!\d)[{LATIN_SENTENCE_END_MARKS}](\s|$)")
#: A line that closes a sentence (or a quotation, or a bracket that closes one).
CLOSED_LINE = re.compile(rf"[{SENTENCE_END_MARKS}{LATIN_SENTENCE_END_MARKS}…”\"」』）)]\s*$")
#: Punctuation that ends or joins clauses of running text; ad and furniture lines rarely have it.
SENTENCE_PUNCT = re.compile(rf"[{SENTENCE_END_MARKS}；，、：”」』…]|[{LATIN_SENTENCE_END_MARKS};,](\s|$)")
#: A table cell holding one labelled field of a document's record (索引号：…, 发布机构：…), as government
#: sites set a notice's record above its headline: a label, not running text.
FIELD_CELL = re.compile(r"^\s*[\u4e00-\u9fff]{2,6}\s*[:：][^。！？]{0,80}$")
#: A slide's counter opening its title or caption in a slideshow (``3/50 Star Wars boosts economy``,
#: ``3 of 12``, ``3／12``): the slide's number and the number of slides.
SLIDE_COUNTER = re.compile(r"^\s*(\d{1,3})\s*(?:/|／|of)\s*(\d{1,3})(?!\d)")
#: Running text for dates: ``SENTENCE_PUNCT`` without the colon, quotes and ellipsis, which label and
#: date lines carry (``发布时间：5月18日``); a block with these has year-less dates that are events.
RUNNING_TEXT_PUNCT = re.compile(rf"[{SENTENCE_END_MARKS}，、；]|[{LATIN_SENTENCE_END_MARKS},;](?:\s|$)")
BARE_URL = re.compile(r"(?:https?://|www\.)[\w.-]+(?:/[\w./?%&=#:+~-]*)?", re.I)
WHITESPACE = re.compile(r"[\s\u00a0\u2002\u2003\u2009\u200b\u3000\ufeff]+")

# --- Spam and ads --------------------------------------------------------------------------------

#: Words of the medical and other commercial ads that content farms inject. A line needs structure
#: too (short, off-site link or keyword stuffing, no running-text punctuation) to be called spam.
AD_WORDS = re.compile(alternation("ad-word"))
#: Cosmetics and shop names that content farms prefix to reposted headlines: "[雅诗丽化妆品]…".
TITLE_AD_PREFIX = re.compile(r"^\s*+[\[【(（][^\]】)）]{1,20}" + alternation("title-ad-word") + r"[\]】)）]\s*")
AD_LABEL = re.compile(r"^\s*+" + alternation("ad-label") + r"\s*[:：]?\s*$", re.I)
#: A site's note on its advertising or affiliate income, above or below a story: "This post contains
#: references to products from our advertisers. We may receive compensation …", "NOTE: The advertising
#: disclaimer below does not apply …". The site speaks in the first person plural, a story does not.
AD_DISCLOSURE = re.compile(alternation("ad-disclosure"), re.I)
#: A line that announces itself as an advert: 广告通知：…, 广告魔兽世界公益服….
AD_PREFIX = re.compile(r"^\s*+" + alternation("ad-prefix"))

# --- Furniture lines, by reason ------------------------------------------------------------------

REPRINT_NOTICE = re.compile(alternation("reprint-notice"), re.I)
PREV_NEXT = re.compile(r"^\s*+" + alternation("prev-next"), re.I)
#: Its words are tokens that never share a start, so the run is possessive (``++``): a line of digits that
#: ends in a letter fails at once instead of trying every way of cutting the digits into numbers.
PAGINATION = re.compile(r"^(?:\s|" + alternation("pagination-word") + r"|\d+|[<>«»|:：])++$", re.I)
FOOTER = re.compile(alternation("footer"), re.I)
SHARE = re.compile(r"^\s*+" + alternation("share"), re.I)
COUNTER = re.compile(r"^\s*+" + alternation("counter-label") + r"\s*[:：]\s*\d*\s*次?\s*$")
#: The role word of an editor's credit alone (编辑, 审核): inside a byline run it ends the authors ...
EDITOR_ROLE = re.compile(alternation("editor-label"))
#: ... and so does a word that ends with one after the paper's short name (每经编辑, 本网编辑) ...
EDITOR_ROLE_END = re.compile(alternation("editor-label") + r"$")
#: ... no longer than this (characters): a longer run is no role word.
OUTLET_ROLE_CHARS = 6
EDITOR_LABEL = alternation("editor-label") + r"\s*(?:" + LABEL_MARK + r"|\s)"
EDITOR_LINE = re.compile(
    r"^(?:\s*【[^【】]{1,6}】)?[\s（(【\[]*" + EDITOR_LABEL + r"\s*"
    r"(?P<names>[^（()）【】\[\]]{1,60}?)\s*[）)】\]]*\s*$"
)
NAVIGATION = re.compile(alternation("navigation"), re.I)
RELATED_HEADING = re.compile(r"^\s*+[【\[]?" + alternation("related-heading") + r"[】\]]?\s*[:：]?", re.I)
COMMENTS_HEADING = re.compile(r"^\s*+" + alternation("comments-heading") + r"\b", re.I)

#: A caption of any length: it closes with a picture's credit in brackets, (AP Photo/…), (Photo by …).
CREDITED_CAPTION = re.compile(r"[(（]\s*+" + alternation("caption-closing") + r"\b[^()（）]{0,60}[)）]\s*+$")
#: Picture captions: a credit in brackets or at the end (…摄, （新华社记者 X 摄）, 山东女子学院供图,
#: （消防局提供）, （图翻摄自…）), a caption mark at the start (图为…, 图：, ▲, △, ◎), or a photo label at
#: the start (Photo: …) or closing a short line (…, photo: agency; … Foto: Andina; Photograph by …).
CAPTION = re.compile(
    "|".join(
        (
            r"^\s*+" + alternation("caption-opening"),
            r"^\s*+[(（]?\s*" + alternation("caption-label") + r"\s*[:：]",
            r"[,.;|]\s*" + alternation("credit-label") + r"\s*[:：]\s*[^.:]{1,60}$",
            alternation("photo-credit") + r"\s*[）)]?\s*$",
            r"[（(]\s*" + alternation("bracketed-credit") + r"[^（）()]{0,30}[）)]\s*$",
            r"[（(][^（）()]{0,24}" + alternation("photo-credit") + r"[）)]",
        )
    ),
    re.I,
)
#: Promotion of the site's own app, accounts and pages: 下载…APP, 加入…粉丝团, 关注公众号, 扫描二维码,
#: 返回…查看更多, 阅读全文, 阅读下一篇, 分享到朋友圈, 更多…请关注, 投稿：….
PROMO = re.compile(alternation("promo"), re.I)
#: Public-service notices that sites append to stories of suicide and the like (Taiwan law requires them).
PUBLIC_NOTICE = re.compile(alternation("public-notice"))
#: Tag and keyword lines: 关键字：…, 关键词阅读：…, 标签：…, 所属分类：…, "#上吊 #自杀", "#话题##话题#",
#: "马公﹒洗肾﹒澎湖". A tag is ``#`` and a word without ``#`` (closed by a ``#`` on Weibo), taken
#: possessively: a tag that could also be cut into shorter tags is never tried both ways.
TAG_LINE = re.compile(
    r"^\s*+" + alternation("tag-label") + r"\s*[:：]|^\s*+(?:#[^#\s]+#?\s*){2,}+$|"
    r"^\s*+[^\s﹒·•。，！？]{1,8}(\s*[﹒•]\s*[^\s﹒·•。，！？]{1,8}){1,6}\s*$",
    re.I,
)
#: Lines about the text rather than of it: 原标题：… (in brackets or not), a print-edition note 《人民日报》（2024年05月10日 04 版）,
#: a summary box 摘要：… / 核心提示：… shown above the body.
ABOUT_LINE = re.compile(
    r"^\s*+[\[【（(]?\s*" + alternation("about-label") + r"\s*[:：]|"
    r"^\s*+《\s*[^》]{2,16}\s*》\s*[（(][^()（）]{0,30}\d+\s*版\s*[)）]\s*$",
)
#: A column or series tag standing alone in brackets above a story: 【短视频文化现象观察】.
KICKER = re.compile(r"^\s*+【[^【】]{2,20}】\s*$")
#: Link types (HTML's ``rel``) that say what a link is, whatever its words: a tag or category of the
#: story (``rel="tag"``, as blog engines mark them), the previous or next post (``rel="prev"``).
REL_TAG = frozenset({"tag", "category"})
REL_PREV_NEXT = frozenset({"prev", "next"})
#: A document's name or address rather than a page's: office files, PDFs and archives (a notice's
#: attachments, 附件：1.方案.docx).
ATTACHMENT_FILE = re.compile(r"\.(?:docx?|xlsx?|pptx?|pdf|wps|et|dps|ofd|zip|rar|7z)\s*(?:$|[?#)）])", re.IGNORECASE)

# --- Bylines -------------------------------------------------------------------------------------

#: The label of a meta line's field (时间：, 来源：, 作者：…), as where it follows a source or an author with
#: no space between (来源：某报作者：王某: a template sets its fields in elements of their own).
META_FIELD_LABEL = "(?:" + alternation("meta-label") + "|" + alternation("source-line-label") + r")\s*[:：]"
#: A short run of Chinese personal names separated by spaces, 、, a slash or a semicolon; a transcribed
#: name's parts joined by a dot may run longer (阿不都热合曼·买买提). A name ends
#: where the Chinese run ends and is not a label ("点击:" after the names is not a name), or where the
#: next field's label is glued to it (王某来源：某报); that label is no name.
CJK_NAME = (
    r"(?!"
    + META_FIELD_LABEL
    + r")(?:"
    + TRANSCRIBED_NAME
    + r"|[\u4e00-\u9fff"
    + NAME_DOT
    + r"]{2,8})(?:(?![:：\u4e00-\u9fff"
    + NAME_DOT
    + r"])|(?="
    + META_FIELD_LABEL
    + r"))"
)
#: "And" between Chinese names, where it stands alone between spaces (王某 和 李某; glued to names, 和 may
#: end one: 李永和).
NAME_CONJUNCTIONS = "和与"
#: What parts the names of a run: white space, 、, a comma, a slash or a semicolon, or "and".
NAME_SEPARATOR = r"(?:\s+[" + NAME_CONJUNCTIONS + r"]\s+|[\s、,，/／;；]+)"
CJK_NAMES = CJK_NAME + r"(?:" + NAME_SEPARATOR + CJK_NAME + r"){0,5}"
#: "Et al." closing a run of Chinese names (王某等, 王某 等人).
ET_AL = re.compile(r"(?<=[\u4e00-\u9fff]{2})\s*等人?$")
#: A name in Latin letters as Chinese bylines give a foreign writer's (记者 John Smith): capitalised words.
LATIN_NAME = r"[A-Z][A-Za-z.'-]+(?: [A-Z][A-Za-z.'-]+){0,3}"
#: One capitalised word of such a name.
LATIN_WORD = re.compile(r"[A-Z][A-Za-z.'-]+")
#: Chinese characters and nothing else, as in names run together with no separator (王小寒刘进).
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
#: The labels of a story's writer (作者, 文, 撰文…): see the vocabulary's ``writer-label``.
WRITER_LABEL = alternation("writer-label")
#: "（记者 胡晓蓉）", "（文/王小明 图/李华）", "（通讯员 王芳 摄影 陈晨）": a whole line in brackets.
BRACKETED_BYLINE = re.compile(
    r"^\s*+[（(【\[]\s*([\u4e00-\u9fff"
    + NAME_DOT
    + r"]{0,10}?(记者|通讯员|"
    + WRITER_LABEL
    + r"|图片|图|摄影|摄)\s*"
    + LABEL_MARK
    + r"?\s*"
    + CJK_NAMES
    + r"\s*)+[）)】\]]\s*$"
)
#: A bracketed credit or end mark closing a paragraph: （作者…）, （记者 张三）, （完）, （编辑：…）, and a wire's
#: serial number after it (Taiwan's Central News Agency closes （編輯：某某）1130305, the date in its calendar).
CLOSING_CREDIT = re.compile(
    r"[（(]\s*(作者|记者|通讯员|编辑|责编|撰稿|文\s*[/／]|完|全文完)[^（）()]{0,40}[)）]\s*(?:\d{6,8}\s*)?$"
)
#: How the names of departments, schools and companies end (宣传部, 教育局, 某某中学, 某某公司).
ORGANISATION_END = (
    r"(?:部|处|办|办公室|中心|局|委|厅|院|校|科|站|社|组|团委|学会|协会|大学|中学|小学|幼儿园|研究所|公司|集团)"
)
#: All that an institution's self-media account adds to its short name (明德教育, 春芽公益, 某某计划,
#: 某某中学): the short name in the account's author slot is then the institution's, no writer's.
INSTITUTION_WORD = re.compile(ORGANISATION_END + r"|教育|公益|计划|基金会?")
#: A credit of bare names in brackets: （王小明）, （王小明 李华）, （王小明／某地報導） (folded), after the
#: writer's school or office where it gives one (（某某中学 王小明）). With no role word, only its place
#: closing the text, or the place it was reported from, marks it as a byline.
CLOSING_NAMES = re.compile(
    r"[（(]\s*(?:[\u4e00-\u9fff]{1,20}?"
    + ORGANISATION_END
    + r"\s+)?(?P<names>[\u4e00-\u9fff"
    + NAME_DOT
    + r"]{2,4}(?:[\s、]{1,3}[\u4e00-\u9fff"
    + NAME_DOT
    + r"]{2,4}){0,3})\s*"
    r"(?P<report>[/／]\s*[\u4e00-\u9fff]{0,8}?(?:报导|报道))?\s*[)）]"
)
#: Writer and author notes: "文丨政能亮特约评论员 韩涵", "（作者韩涵系政邦智库研究员）", "社會中心／綜合報導",
#: "生境科技投稿".
WRITER_LINE = re.compile(
    r"^\s*+文\s*[/／" + BAR + r"]\s*\S.{0,30}$|^\s*+[（(]\s*作者.{1,40}[)）]\s*$|"
    r"^\s*+[\u4e00-\u9fff" + NAME_DOT + r"]{2,12}\s*[/／]\s*[\u4e00-\u9fff]{0,6}(报导|报道)\s*$|^\s*+\S{2,12}投稿\s*$"
)
#: Names signed as the writing's after them: "王小明/文", "王小明 文/图", "王小明 撰稿", "王小明 执笔".
SIGNED_WRITING = r"(?:[/／]\s*|\s+)(?:文|撰文|撰稿|执笔)(?:\s*[/／]\s*图)?"
#: A photographer signing after the writer (王小明/文 李华/图): their name is no author's.
PHOTO_SIGNED = r"(?:\s+[\u4e00-\u9fff" + NAME_DOT + r"]{2,4}\s*[/／]\s*(?:图|摄影|摄))?"
#: A writer's label glued to the name that ends the line, as a repost's credit sets it after a comma
#: ("转自某报，作者王小明"). With no separator ("作者认为…" is a sentence), only a name that closes the
#: line counts, and it must start with a surname.
GLUED_WRITER = re.compile(r"(?<![\u4e00-\u9fff])作者(?P<names>[\u4e00-\u9fff]{2,3})\s*+[。.]?\s*+$")
#: A byline of names and no role before them: who filed the story and from where ("王小明 发自 某地",
#: "王小明 李华发自某地"), who reported it ("王小明 李华 报道", as TV and county news close a story), or
#: the names signed as the writing's ("王小明/文", "（王小明 文/图）").
SIGNED_LINE = re.compile(
    r"^\s*+[（(]?\s*(?P<names>[\u4e00-\u9fff"
    + NAME_DOT
    + r"]{2,4}(?:[、\s][\u4e00-\u9fff"
    + NAME_DOT
    + r"]{2,4}){0,3})\s*"
    r"(?:发自\s*[\u4e00-\u9fff]{2,8}|报道|" + SIGNED_WRITING + PHOTO_SIGNED + r")\s*[)）]?\s*$"
)
#: "光明日报记者 王建宏 张文攀", "聯合報 記者王小明／即時報導" (or 聯合報／ 記者…), "ETtoday記者王小明／台北報導", "作者 王小明": a
#: whole paragraph that is only a byline (a writer's label starts the line and has a separator after it).
REPORTER_LINE = re.compile(
    r"^\s*+(?:(?:(?P<outlet>[\w"
    + NAME_DOT
    + r"]{1,16})(?:\s?|\s*[/／]\s*))?(?:记者|通讯员)\s*|(?:本文)?"
    + WRITER_LABEL
    + r"(?:\s+|\s*"
    + LABEL_MARK
    + r"\s*))"
    r"(?P<names>" + CJK_NAMES + r"|" + LATIN_NAME + r")"
    r"(?:\s*[/／]\s*[\u4e00-\u9fff]{2,6}(报导|报道|电)|"
    + SIGNED_WRITING
    + r")?"  # 記者林怡君／臺北報導, 记者 王小明/文
    r"(?:\s*来源\s*[:：]\s*\S{2,20})?\s*$"  # 中青报·中青网记者 魏其濛 来源：中国青年报
)
#: Where a byline says the story was filed from, after the names: "记者 王小明 北京报道", "记者王小明报道",
#: "记者 王小明 发自北京" (folded).
REPORT_WORD_END = re.compile(
    r"(?:(?<!\s)\s++[\u4e00-\u9fff]{2,6}?)?(?:报道|报导)$|(?<!\s)\s++发自[\u4e00-\u9fff]{2,6}$"
)
#: Names inside bylines: "记者 张三 通讯员 李四", "作者：王小寒 刘进", "文/王小明", "记者丨王小明", "By Jane Smith".
#: The label needs a separator after it: "记者 张三", "文/王小明"; "记者从省教育厅获悉" is a sentence.
BYLINE_NAMES = re.compile(
    r"(?:(?<![\u4e00-\u9fff])(?<![\u4e00-\u9fff][/／])(?<![\u4e00-\u9fff]\s[/／])|本报|本文|"
    + alternation("reporter-rank")
    + r")(?P<role>记者|通讯员|"
    + WRITER_LABEL
    + r"|图片|图|摄影|摄)(?:\s+|\s*"
    + LABEL_MARK
    + r"\s*)"
    r"(?P<names>" + CJK_NAMES + r"|" + LATIN_NAME + r")"
)
#: Role words that a run of byline names may swallow ("记者 张三 通讯员 李四").
ROLE_WORDS = frozenset(
    {"记者", "本报记者", "通讯员", "实习生", "摄影", "编辑", "图", "图片", "摄", *entries("writer-label")}
    | {rank + role for rank in entries("reporter-rank") for role in ("记者", "通讯员")}
)
#: The role words of a reporter's credit, as a lead byline sets them before each name: 记者, 通讯员, 实习生.
REPORTER_ROLE = r"(?:记者|通讯员|实习生)"
#: A label crediting the writing or the pictures (记者：, 文/, 摄影：): inside an editor line it starts names
#: that are not editors (策划：赵刚 记者：王小明).
CREDIT_LABEL = re.compile(r"(?:" + REPORTER_ROLE + "|" + WRITER_LABEL + r"|图片|图|摄影|摄)\s*" + LABEL_MARK)
#: Any credit's label on a line of credits (文：, 摄影：, 编辑：, 统筹：).
ANY_CREDIT_LABEL = re.compile(CREDIT_LABEL.pattern + "|" + alternation("editor-label") + r"\s*" + LABEL_MARK)
#: The names after one credit's label: a few names of two to four characters (or transcribed, with
#: dots), apart by spaces, 、 or commas.
CREDITED_NAME = r"(?:" + TRANSCRIBED_NAME + r"|[\u4e00-\u9fff]{2,4})"
CREDITED_RUN = re.compile(CREDITED_NAME + r"(?:[\s、，,]+" + CREDITED_NAME + r"){0,5}")
#: What closes a picture's credit after the names (记者 王小明 摄, （新华社记者 王小明 摄）): they took it.
PHOTO_CREDIT_END = re.compile(r"^\s*+" + alternation("photo-credit") + r"\s*+[）)】\]]?\s*+$")
#: A picture's credit glued to the name it closes ((记者罗斌摄), 記者林佳穎攝 folded): with no space
#: between them the run of names ends in it, and the name is a photographer's.
GLUED_PHOTO_CREDIT = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?:摄影|摄)$")
#: Byline labels that credit pictures, not words: their names are not authors.
IMAGE_CREDIT = re.compile(r"^(图|摄影|摄|图片)$")
#: What a Chinese person's name looks like: two to four characters, or a transcribed name joined by ·.
CJK_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$|^" + TRANSCRIBED_NAME + "$")
#: Names of outlets, which bylines put where a person's name goes: 新京报, 央视, 中国网, 总台…, 本报…. A
#: page's report button (举报) is not one.
OUTLET_NAME = re.compile(r"(网|(?<!举)报|社|台|刊|视|频道|新闻|客户端|杂志|传媒|媒体|周刊)$|^(本报|本刊|本网|总台)")
#: Words no name holds: roles (记者, 评论员), actions and files a label may be followed by (下载附件,
#: 政策解读, 查看原文), report words (报道, 投稿), the next field's label where a bar stands for its colon
#: (作者 | 王某 来源 | 某报), the marks of labels and accounts (丨, ／, _, digits), and web addresses (an
#: outlet credited with its site: "Some Radio (www.someradio.com)").
NOT_NAME_TEXT = re.compile(
    r"记者|通讯员|评论员|编辑|报导|报道|投稿|来源|下载|附件|解读|点击|查看|阅读|详情|全文|原文|链接|文件|打印|账号|"
    r"[_@#\d]|www\.|https?:|\.(?:com|net|org)\b|" + LABEL_MARK
)
#: A wire's credit: the outlet, the reporter's names, and the place and day the story was filed
#: (中央社記者邱俊欽桃園19日電, folded). Nothing but the role word bounds the outlet's name, and a place may
#: follow the names with no space, so the brackets around it or the day's 电 after it bound the credit.
WIRE_CREDIT = (
    r"(?P<outlet>(?:(?!记者|通讯员)[\u4e00-\u9fff" + NAME_DOT + r"]){2,12}?)?\s*(?:记者|通讯员)\s*"
    r"(?P<names>[\u4e00-\u9fff]{2,3}(?:[、\s](?:(?:记者|通讯员|实习生)\s*)?[\u4e00-\u9fff]{2,3}){0,4})\s*"
)
#: Where and when a wire filed its story, after the names: 台北19日电, 北京专电.
WIRE_FILED = r"[\u4e00-\u9fff]{2,4}?\s*(?:\d{1,2}日)?(?:电|专电|传真|报道|报导)"
#: A byline in brackets, with or without its outlet: （记者叶婉）, （央视记者 刘骁骞）, （中央社記者邱俊欽桃園19日電）
#: (traditional folded). The brackets bound the names, so none needs a space after 记者, nor after the
#: next role in the run (（记者王小明 通讯员李华）); a closing credit may say whose reporter it took the
#: story from (（据某报记者王小明）).
WIRE_BYLINE = re.compile(r"[（(〔【]\s*(?:据\s*)?" + WIRE_CREDIT + r"(?:" + WIRE_FILED + r")?\s*[）)〕】]")
#: The same credit opening a lead with no opening bracket, as some reposts cut it (中央社記者王小明台北17日電）…,
#: folded): the day it was filed must close it, as a sentence's words never do, and no character may
#: run on from its 电 (12日电视电话会议 is a sentence's).
LEAD_WIRE_BYLINE = re.compile(
    r"^\s*+" + WIRE_CREDIT + r"[\u4e00-\u9fff]{2,4}?\s*\d{1,2}日(?:电|专电)(?![\u4e00-\u9fff])"
)
#: A name where marks bound it (a slash, brackets): two or three characters, or a transcribed name's
#: parts joined by a dot (比令·巴度).
BOUNDED_NAME = r"(?:" + TRANSCRIBED_NAME + r"|[\u4e00-\u9fff]{2,3})"
#: A byline that names where it was reported from, brackets or not, the role word (and the outlet before
#: it) or not: 記者王小明／台北報導, 新聞網記者王小明／台北報導, 王小明／台北報導 (folded). The slash bounds
#: the names, so none needs a space after 记者; a desk's name in their place (生活中心／綜合報導) is not
#: a person's. A space may stand for the slash where the report word closes the byline (王小明 綜合報導).
REPORTED_BYLINE = re.compile(
    r"(?:(?:记者|通讯员)\s*|(?<![\u4e00-\u9fff"
    + NAME_DOT
    + r"]))(?P<names>"
    + BOUNDED_NAME
    + r"(?:[、，,\s]"
    + BOUNDED_NAME
    + r"){0,4})\s*"
    r"(?:[/／]\s*[\u4e00-\u9fff]{0,8}?(?:报导|报道)|(?<=\s)[\u4e00-\u9fff]{0,8}?(?:报导|报道)(?=\s*$|[\s|｜)）】\]]))"
)
#: A lead's dateline: 本报讯, 某某日报讯, 本报北京7月1日讯, a wire's 某某社北京7月1日电.
LEAD_DATELINE = r"[\u4e00-\u9fff\d]{0,12}[讯电]"
#: One credit of a byline opening the lead with no brackets: a role and a name, the space after it
#: bounding it (记者王小明 , 通讯员 李华报道).
LEAD_ROLE = r"(?:本报)?" + alternation("reporter-rank") + r"?" + REPORTER_ROLE
#: The name of one such credit, or two names "and" joins with no space (王小明和李华).
LEAD_NAME = r"[\u4e00-\u9fff]{2,3}(?:[" + NAME_CONJUNCTIONS + r"][\u4e00-\u9fff]{2,3})?"
LEAD_NAME_END = r"\s*" + LEAD_NAME + r"(?:\s+|报道[：:]?)\s*"
#: A byline opening the lead with no brackets (本报讯 记者王小明 通讯员李华 日前，…, 本报讯 记者 王小明 日前，…):
#: the space after each name bounds it. After the first credit "and" may stand for the next role (记者
#: 王小明 和 李华 …).
GLUED_LEAD_BYLINE = re.compile(
    r"^\s*+(?:"
    + LEAD_DATELINE
    + r"\s*)?(?P<run>"
    + LEAD_ROLE
    + LEAD_NAME_END
    + r"(?:(?:"
    + LEAD_ROLE
    + r"|["
    + NAME_CONJUNCTIONS
    + r"])"
    + LEAD_NAME_END
    + r")*)"
)
#: A lead's bracketed credit after its 讯 (本报讯（王小明 李华）…): names with no role word in it.
LEAD_CREDIT = re.compile(r"^\s*+" + LEAD_DATELINE + r"\s*[（(](?P<names>[^（）()]{2,20})[）)]")
#: One role, or the "and" that stands for one, and the name after it in such a byline (记者王小明 , 通讯员
#: 李华报道, 和 李华 ).
GLUED_ROLE_NAME = re.compile(
    r"(?:" + REPORTER_ROLE + r"|[" + NAME_CONJUNCTIONS + r"])\s*(" + LEAD_NAME + r")(?:\s|报道)"
)
#: A news lead naming its outlet: a paper's 北京商报讯（记者 …）, a site's 某某网消息（记者 …）： or 某某网消息：
#: (an outlet's name before 消息: "最新消息：" is a phrase),
#: a Hong Kong paper's 【某報專訊】 (folded), an agency's 新华社北京5月9日电 (a site's dateline may leave out
#: the place: 某某网5月9日电) or its bracketed dateline （中央社台北6日電） (folded). ``本报`` names no outlet.
LEAD_OUTLET = re.compile(
    r"^\s*+(?:(?P<outlet>[\u4e00-\u9fff]{2,8}?)讯\s*[（(]|"
    r"(?P<site>[\u4e00-\u9fff]{1,8}?(?:网|台|视|社|报|新闻|客户端))消息\s*[（(：:]|"
    r"[【\[]\s*(?P<special>[\u4e00-\u9fff]{2,6}?)专讯\s*[】\]]|"
    r"[（(]?\s*(?P<wire>[\u4e00-\u9fff]{1,7}(?:社|报|网|台|视))(?:[\u4e00-\u9fff]{2,3})?(?:\d{1,2}月)?\d{1,2}日(?:专)?电)"
)
#: A two-character name set with a space to line up with three-character ones: "何 静".
SPACED_NAME = re.compile(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]) ([\u4e00-\u9fff])(?![\u4e00-\u9fff])")
#: A full date: 2024-05-20, 2024年5月20日, 2024/05/20; a line that opens with one.
FULL_DATE = r"\d{4}[-年/.]\d{1,2}[-月/.]\d{1,2}日?"
LINE_DATE = r"^\s*+" + FULL_DATE
#: A meta line that opens with what may be a writer's names and then a date: "王小明 2024-05-20 10:00"
#: (but not a label: "时间 2024-05-20").
NAMES_THEN_DATE = re.compile(
    r"^\s*+(?!"
    + alternation("meta-label")
    + r")(?P<names>[\u4e00-\u9fff"
    + NAME_DOT
    + r"\s、]{2,16}?)\s*[·"
    + BAR
    + r"]?\s*"
    + FULL_DATE
)
OPENS_WITH_DATE = re.compile(LINE_DATE)
#: A meta line that opens with a date (and time), and what follows it.
DATE_THEN_REST = re.compile(LINE_DATE + r"\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*[·" + BAR + r"]?\s*(?P<rest>.*)")
#: The date (and time) a meta line closes with.
CLOSING_DATE = re.compile(FULL_DATE + r"\s*+(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*+$")
#: A meta line that names the outlet after the date: "2024-05-20 14:33·新华社", "2025年04月23日 05:22 央视",
#: an outlet whose name starts with digits glued to the time ("…08:10:3012某网": seconds have two digits),
#: one followed by the next label ("… 某报作者：…") or by a wire dateline ("… 某社 某县28日电", folded).
DATED_OUTLET = re.compile(
    LINE_DATE + r"\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*[·" + BAR + r"]?\s*"
    r"(?P<outlet>[0-9A-Za-z]{0,6}[\u4e00-\u9fff]{2,10}?)"
    r"(?:\s*$|\s*(?:作者|编辑|责任编辑)\s*[:：]|\s+[\u4e00-\u9fff]{2,6}\d{1,2}日电)"
)
#: What a CMS prints where it names no writer or publisher: "anonymous", "unknown", "none given" (佚名,
#: 未知, 暂无), "the internet", a reader's contribution, "original", "reposted", "compiled" (综合, 整理: a
#: story put together from several reports), the site itself and its staff (本站, 小编, 管理员), and
#: these together (本站原创, 网络整理). Neither a person nor a source.
PLACEHOLDER = (
    "(?:佚名|匿名|未知|不详|暂无|网络|互联网|网友投稿|网友|原创|转载|综合|整理|本站|本网|小编|管理员|admin|编辑部)+"
)
#: Byline values that are not people: departments, schools and companies, and placeholders.
NOT_A_PERSON = re.compile(ORGANISATION_END + r"$|^" + PLACEHOLDER + r"$")
#: A bracketed aside that may hold a byline inside a paragraph: 本报讯（记者 张三）…, 〔記者王小明／台北報導〕…,
#: 【某网报道 记者 张三】….
BRACKETED = re.compile(r"[（(〔【][^（）()〔〕【】]{2,40}[）)〕】]")
#: A month's name by its shortest spelling (``jan``, ``sep``): a word that starts so is taken for one.
MONTH_START = "(?:" + "|".join(min(month.split(), key=len) for month in entries("dateutil-month-name")) + ")"
#: "By Jane Smith and Li Wei, Staff Writers": names joined by "and"/"&"; a comma starts the job title, and
#: a date ends the name ("By Jane Smith Feb 19, 2020").
ENGLISH_NAME = r"[A-Z][\w.'-]+(?:\s+(?!(?i:" + MONTH_START + r")[a-z]*\.?\s+\d)[A-Z][\w.'-]+){0,3}"
#: The word a Latin-letter byline opens with in each language (By, Posted by, Von, Par, Por …), before
#: the writer's name, which drops it (``BYLINE_WORD``).
BYLINE_WORDS = "(?i:" + alternation("byline-word") + ")"
#: An English byline in any case, its word labelled or not (By, BY, by:, Written by:), naming one
#: writer, writers joined by "and", or a list closed by "and" (By A, B and C).
ENGLISH_BYLINE = re.compile(
    r"^\s*+(?i:"
    + "|".join(vocabulary()["en"]["byline-word"])
    + r")(?:\s*:\s*|\s+)(?P<names>"
    + ENGLISH_NAME
    + r"(?:(?:\s*,\s*"
    + ENGLISH_NAME
    + r")*,?\s+(?:and|&)\s+"
    + ENGLISH_NAME
    + r")*)"
)
BYLINE_WORD = re.compile(r"^" + BYLINE_WORDS + r"\s+")
#: A line that is nothing but such a word and one capitalised name ("Von Leonora Holling"): a credit,
#: never a headline, though templates set it in a heading element of its own.
CREDIT_ONLY_LINE = re.compile(r"^\s*+" + BYLINE_WORDS + r"\s++" + ENGLISH_NAME + r"\s*+$")
#: A bare trailing name line such as the seed's "王小寒刘进" or "周敏 吴涛": only short Chinese runs.
BARE_NAME_LINE = re.compile(
    r"^[\u4e00-\u9fff" + NAME_DOT + r"]{2,12}(?:[\s、]+[\u4e00-\u9fff" + NAME_DOT + r"]{2,4}){0,4}$"
)
#: Words that show a short CJK line is a heading or phrase, not a list of names (图: a picture's label,
#: 组图, 高清图).
NOT_NAME_WORDS = re.compile(r"[的了在是和与及等为以对将把被从向之中国学校教育发展工作会议年月日图]")

# --- Meta lines (date, source, author, counters under the headline) ------------------------------

#: An outlet's name in capitalised Latin words: China Daily, The Global Times.
LATIN_OUTLET = r"[A-Z][A-Za-z&.'-]*(?: [A-Z][A-Za-z&.'-]*){1,5}"
SOURCE_LABEL = re.compile(
    r"(?:(?<![\u4e00-\u9fff])(?:(?:本文|信息|文章|新闻|稿件|消息)?来源|来自|稿源|出处)\s*[:：】］\]]|(?<![\u4e00-\u9fff])(?:本文)?来源于\s*[:：]?|"
    # Where a repost says it was taken from: 转自：某报, 转载自某报, 摘自某报, 本文转载自某报.
    r"(?<![\u4e00-\u9fff])(?:本文)?(?:转自|转载自|摘自)\s*[:：]?|"
    # A bar for a colon ("来源 | 某报"), where the label starts a word.
    r"(?<![\u4e00-\u9fff])(?:来源|稿源|信息来源|文章来源)\s*[" + BAR + r"])\s*"
    r"(?P<source>" + LATIN_OUTLET + r"|[^\s|｜/:：<>()（）【】\[\]]{2,30}?)"
    # The source ends at white space (but for the spaces of an outlet's name in Latin letters: China
    # Daily), a bracket (【来源：某报】), a clause's comma ("转自某报，作者…"), where the next label starts
    # ("来源：泉城晚报作者：…"), where a date is glued to it ("人民日报2024-05-13"), or where the
    # outlets it was taken from go on ("某报及某社、某台等", "某报以及某网"): the first one named is the source. A
    # compilation's list (综合某报、某网) stays whole: it names no first source.
    r"(?=$|[\s|｜/()（）】\]，,；;。]|以?及|" + META_FIELD_LABEL + r"|\d{4}\s*[-/.年])"
)
#: A source given as a name in quotes, after a word for its kind (公众号“某某”, 微信号「某某」, “某某”): the
#: name is the source.
QUOTED_SOURCE = re.compile(r"[^“「『\"]{0,6}[“「『\"](?P<name>[^”」』\"]{2,30})[”」』\"]")
#: A writer's school or post in brackets after their name on a labelled line (作者：王某（某大学）、李某（某中学）).
AFFILIATION = r"(?:\s*[（(][^（）()]{1,20}[）)])"
#: A writer's or reporter's label and the names after it (作者：王某, 记者丨王某, 【作者】王某). The label
#: starts a word: "原文：政策解读" and "全文：下载附件" are not an author's label. Only 作者 and 记者 may
#: follow a word that qualifies them (文章作者, 稿件作者, 本网记者, 文字记者), but not as parts of other
#: words (工作者, 合作者) or a photographer's title (摄影记者); 作者姓名 and 作者名 are 作者. A bar may stand
#: for the colon, as on source labels, and so may the bracket that closes a bracketed label. A student
#: writer's class before the names (高一（2）班 王某) is not one of them.
AUTHOR_LABEL = re.compile(
    r"(?:(?<![\u4e00-\u9fff])|(?<![工合])(?=作者)|(?<!摄影)(?<!摄像)(?=记者))"
    r"(?P<role>记者|通讯员|" + WRITER_LABEL + r")(?:姓名|名)?\s*(?:" + LABEL_MARK + r"|[】］\]])\s*"
    r"(?:[\u4e00-\u9fff\w]{1,12}?[（(]\s*\d{1,2}\s*[)）]\s*班\s*)?"
    r"(?P<names>(?:" + CJK_NAME + AFFILIATION + r"?(?:" + NAME_SEPARATOR + CJK_NAME + AFFILIATION + r"?){0,5}"
    r"|[A-Za-z][A-Za-z .'-]{1,40})"
    # A list may change script at its 、 (撰稿：Daniel Reyes、林可心).
    r"(?:\s*、\s*(?:" + CJK_NAME + AFFILIATION + r"?|" + LATIN_NAME + r")){0,5})"
)
#: A line that is only a byline's role, its names set in the next element: 本报记者, 记者：, 作者：.
ROLE_ONLY_LINE = re.compile(
    r"^\s*+(?:本报|本网)?" + alternation("reporter-rank") + r"?(?:记者|通讯员|" + WRITER_LABEL + r")\s*+[:：]?\s*+$"
)
#: The opening of an inline element that is a field of its own (``<span>作者：王某</span>``): a label.
FIELD_OPENING = re.compile(r"[\u4e00-\u9fff]{2,6}\s*+[:：]")
#: A label standing alone, its value in the next element: "发布日期：", "信息来源：" in a table's cells; a
#: meta line's own labels need no colon there (``<th>来源</th><td>某报</td>``, ``<dt>作者</dt><dd>…``).
LABEL_CELL = re.compile(
    r"^\s*+(?:[\u4e00-\u9fff]{2,6}\s*+[:：]|(?P<bare>"
    + alternation("meta-label")
    + "|"
    + alternation("source-line-label")
    + r"))\s*+$"
)
#: A line that only names the source or author: "来源：重庆日报", "（来源：新华网）".
LABEL_ONLY_LINE = re.compile(
    r"^\s*+[（(【\[]?\s*"
    + alternation("source-line-label")
    + r"\s*[:："
    + BAR
    + r"]\s*[^。！？]{1,40}?\s*[)）】\]]?\s*$"
)
META_LINE_LABELS = re.compile(META_FIELD_LABEL)
#: A line opening with a label of its own kind of time (讲座时间：, 报名日期：, 截止日期：): a fact a notice
#: states, not the page's stamp, unless its label is one of the stamp's (发布时间：, 更新日期：).
OWN_TIME_FIELD = re.compile(r"^\s*[\u4e00-\u9fff]{1,6}(?:时间|日期)\s*[:：]")
#: A label of the page's own stamp where it opens a field (发布时间：, 更新日期：, Published:).
STAMP_LABEL = re.compile("(?:" + alternation("date-label") + "|" + alternation("updated-label") + r")\s*[:：]", re.I)

#: The words of dates and times and the labels around them, taken out to see what else a line says.
DATE_WORDS = re.compile(
    "|".join(
        (
            r"[\d\s/:.,\-–|年月日时分秒号上下午]+",
            r"\b" + MONTH_START + r"[a-z]*\.?",
            r"\b" + alternation("dateutil-weekday") + r"[a-z]*\b",
            r"\b(st|nd|rd|th|am|pm|a\.m|p\.m|updated|published|posted|on|at|gmt|utc|et|est|edt|cst|bst)\b",
            r"更新|发布|星期[一二三四五六日天]|周[一二三四五六日]",
        )
    ),
    re.I,
)
#: What makes a date a stamp rather than a line of a text: a time of day or a month's name.
DATE_STAMP = re.compile(r"\d{1,2}:\d{2}|\b" + MONTH_START + r"[a-z]*\b", re.I)
#: Sources that are not publishers: placeholders, as a reposting site prints them (网络, 本站原创).
NON_SOURCE = re.compile(PLACEHOLDER)

# --- Pages that are not articles -----------------------------------------------------------------

ERROR_PAGE = re.compile(alternation("error-page"), re.I)

# --- Titles --------------------------------------------------------------------------------------

#: A ``<title>`` that may put the site's name before a colon ("Blog Name: The post's title", "某某网：标题");
#: :func:`crawler.extraction.metadata.title_candidates` takes the name for the site's only when the page
#: links it to the site's home page.
NAME_BEFORE_COLON = re.compile(r"^(?P<name>[^:：]{3,60}?)\s*+[:：]\s*+(?P<rest>\S.*)$")
#: A separator starts where a run of white space starts (``(?<!\s)``): otherwise every space of a long
#: run is tried as a start, each scanning the rest of the run.
TITLE_SEPARATORS = re.compile(r"(?<!\s)\s*(?:--|——|_|\||｜|-(?=\s)|(?<=\s)-|–|—)\s*")

#: Common Chinese surnames: where a run of names such as 王小寒刘进 has no separator, a new name is
#: taken to start at one of these.
SURNAMES = frozenset(entries("surname"))
