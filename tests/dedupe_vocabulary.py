"""The invented words the dedupe evaluation's copy generators need (``tests/dedupe_cases.py``): site
names, spam lines, reprint notices, synonym tables, notice frames, leads and headline prefixes.

Vocabulary is data, kept apart from the code that uses it so its size can be counted and a language
added as data. Everything here was written for this evaluation: none of it is taken from the devset
pages (their texts are read at run time and never copied into the project).
"""

from __future__ import annotations

#: Chinese sites by template: (shown name, host). Invented names on invented hosts, never fetched.
ZH_SITES: dict[str, tuple[tuple[str, str], ...]] = {
    "zh-portal": (
        ("启明教育网", "www.qimingedu.cn"),
        ("学海资讯网", "www.xuehaizx.com.cn"),
        ("华育在线", "www.huayuzx.cn"),
        ("知行教育资讯", "www.zhixingjy.com"),
    ),
    "zh-bureau": (
        ("东川区教育局", "jyj.dongchuan.gov.cn"),
        ("临江市教育局", "edu.linjiang.gov.cn"),
        ("南屏县教育和体育局", "jtj.nanping-x.gov.cn"),
        ("青原市教育委员会", "jw.qingyuan-s.gov.cn"),
    ),
    "zh-school": (
        ("青原师范学院新闻网", "news.qysf.edu.cn"),
        ("江临理工大学新闻网", "news.jlligong.edu.cn"),
        ("北溪职业技术学院", "www.bxzy.edu.cn"),
    ),
    "zh-farm": (
        ("优学知识库", "www.yxzsk.net"),
        ("百科学习吧", "www.bkxx8.com"),
        ("壹点资料网", "www.ydzl168.net"),
        ("好课堂文库", "www.hkt365.cc"),
    ),
}
#: Sites for texts in other languages: (shown name, host).
OTHER_SITES: dict[str, tuple[tuple[str, str], ...]] = {
    "en-news": (
        ("The Riverside Courier", "www.riversidecourier.com"),
        ("Harbor Valley Times", "www.harborvalleytimes.com"),
        ("Daily Meridian", "www.dailymeridian.net"),
    ),
    "en-blog": (
        ("Campus Ledger", "www.campusledger.org"),
        ("The Learning Desk", "www.learningdesk.net"),
        ("Classroom Wire", "www.classroomwire.com"),
    ),
    "en-aggregator": (
        ("NewsHub Daily", "www.newshubdaily.info"),
        ("TopStory Feed", "www.topstoryfeed.net"),
        ("ReadMore Now", "www.readmorenow.biz"),
    ),
}

#: Authors shown on meta lines.
ZH_AUTHORS = ("林晓东", "周雨辰", "许安然", "陈书宁", "孟可欣", "赵立行")
OTHER_AUTHORS = ("Jordan Avery", "Casey Morgan", "Riley Bennett", "Morgan Hale", "Taylor Brooks")

#: Spam lines content farms put in a body: a short advert and an off-site link (hospital and tutoring
#: ads, the kind ANATOMY.md describes), one line each.
ZH_SPAM_LINES = (
    "青原治疗青春痘哪家医院好 http://www.qy-pifu120.com/zx/",
    "临江看鼻炎去哪家医院 https://m.ljbiyan99.cn/",
    "南屏中考数学一对一辅导 提分快 http://www.npfudao88.com/zk/",
    "东川哪家医院看失眠好 http://www.dcshimian.com/?s=edu",
    "小学作文培训班排名 报名送资料 https://www.zuowen-top.cn/bm/",
    "江临儿童近视矫正医院地址 http://www.jlshili365.com/dz.html",
)
OTHER_SPAM_LINES = (
    "Top rated SAT tutors near you - 50% off first lesson http://www.satwinner-prep.com/offer",
    "Best acne clinic in town, book today https://www.clearskin-clinic99.com/",
    "Learn English fast with certified teachers http://www.fluentnow-courses.biz/start",
    "Cheap essay help for college students https://www.essayhelp-24.net/order",
)
#: Reprint notices a repost appends; ``{source}`` is the site copied from.
ZH_REPRINT_NOTICES = (
    "本文转载自{source}，版权归原作者所有，如有侵权请联系本站删除。",
    "文章来源于{source}，转载请注明出处，本站仅提供信息存储服务。",
    "声明：本文内容整理自{source}，不代表本站立场，转载请保留本文链接。",
)
OTHER_REPRINT_NOTICES = (
    "This article was reposted from {source}. All rights belong to the original author.",
    "Originally published by {source}. Republished here for information only.",
    "Source: {source}. Please credit the original publisher when sharing.",
)
#: Leads a portal puts above a copied story; ``{site}`` is the copying site.
ZH_LEADS = (
    "编者按：近日，{site}编辑部关注到以下消息，现整理刊发，供读者参考。",
    "（{site}综合报道）以下内容经编辑整理，与广大读者分享。",
    "导读：这则消息引发不少家长和师生关注，{site}为您梳理详情。",
)
OTHER_LEADS = (
    "Editor's note: {site} is sharing the following report for our readers.",
    "({site}) The following story has drawn wide attention this week; here is the full report.",
    "In case you missed it: {site} brings you this story in full.",
)
#: Place or channel prefixes a repost puts before the headline.
ZH_HEADLINE_PREFIXES = ("关注｜", "【教育】", "最新！", "青原：", "热点丨")
OTHER_HEADLINE_PREFIXES = ("WATCH: ", "Must read: ", "UPDATE: ", "Trending: ")

#: Light spinning: a common word and the synonym a spinner swaps in. Written for this evaluation;
#: the table is small on purpose (spinners use thesauri, but a light spin touches few words).
ZH_SYNONYMS: dict[str, str] = {
    "重要": "关键",
    "开展": "进行",
    "目前": "当前",
    "推动": "推进",
    "提高": "提升",
    "加强": "强化",
    "积极": "主动",
    "表示": "指出",
    "已经": "业已",
    "通过": "经由",
    "问题": "难题",
    "今年": "本年度",
    "同时": "与此同时",
    "主要": "首要",
    "认为": "觉得",
    "希望": "期望",
    "情况": "状况",
    "非常": "十分",
    "很多": "许多",
    "开始": "着手",
    "成为": "变成",
    "方面": "层面",
    "继续": "持续",
    "特别": "尤其",
    "举行": "举办",
    "共同": "一同",
    "相关": "有关",
    "明显": "显著",
    "迅速": "快速",
    "增加": "增多",
    "减少": "降低",
    "采取": "采用",
    "措施": "举措",
    "提供": "供给",
    "孩子": "小孩",
    "学生": "学子",
    "老师": "教师",
    "可以": "能够",
    "这些": "此类",
    "进行": "开展",
    "发现": "察觉",
    "帮助": "协助",
    "一些": "部分",
    "因为": "由于",
    "但是": "然而",
    "所以": "因此",
}
OTHER_SYNONYMS: dict[str, str] = {
    "important": "significant",
    "said": "stated",
    "big": "large",
    "help": "assist",
    "show": "demonstrate",
    "use": "utilize",
    "start": "begin",
    "people": "individuals",
    "many": "numerous",
    "also": "additionally",
    "new": "fresh",
    "get": "obtain",
    "make": "create",
    "need": "require",
    "because": "since",
    "about": "regarding",
    "very": "extremely",
    "buy": "purchase",
    "children": "kids",
    "students": "pupils",
    "teachers": "educators",
    "city": "town",
    "country": "nation",
    "company": "firm",
    "problem": "issue",
    "find": "discover",
    "think": "believe",
    "small": "little",
    "quickly": "rapidly",
    "often": "frequently",
    "says": "states",
    "told": "informed",
    "want": "wish",
    "but": "yet",
    "around": "roughly",
}

#: Notice series frames: the opening and closing paragraphs a bureau wraps around each notice of a
#: series. ``{issuer}`` is the issuing office, ``{topic}`` the series' subject.
ZH_FRAME_OPENINGS = (
    "为进一步规范{topic}相关工作，切实保障广大师生和家长的合法权益，根据上级部门有关文件精神，结合我{issuer}实际，现将有关事项通知如下，请各单位认真组织学习并抓好贯彻落实。",
    "各镇（街道）中心学校、区直各学校、各民办学校：{topic}工作事关千家万户，社会关注度高，政策性强，各单位要高度重视，加强组织领导，明确责任分工，确保各项工作平稳有序推进。",
    "近期，{issuer}对全市{topic}工作进行了全面梳理，总结了往年工作中的经验和不足，在广泛征求学校、家长和社会各界意见的基础上，形成了本年度的工作安排，具体内容如下。",
    "本通知适用于本辖区内各级各类学校及教育机构。各单位须在规定时间内完成相关准备工作，并将落实情况按时报送{issuer}办公室，逾期未报的将在全系统内予以通报。",
)
ZH_FRAME_CLOSINGS = (
    "各单位要加强政策宣传解读，通过家长会、公众号、告家长书等多种形式，及时准确发布{topic}相关信息，主动回应社会关切，营造良好的舆论氛围。",
    "{issuer}将会同有关部门对各单位工作落实情况开展专项督查，对工作不力、造成不良影响的单位和个人，将依规依纪严肃追究责任。",
    "工作中如遇新情况、新问题，请及时与{issuer}相关科室联系。联系电话由各科室另行通知，请各单位指定专人负责对接，保持通讯畅通。",
    "特此通知。{issuer}办公室",
)
OTHER_FRAME_OPENINGS = (
    "To all schools and education providers in the district: the {issuer} issues this notice on {topic} so that every school follows the same procedures and every family receives the same information in good time.",
    "This notice is part of the {issuer}'s regular series on {topic}. Head teachers are asked to read it in full, share it with their staff and confirm to the office that the measures below are in place.",
    "Following the review of last year's arrangements for {topic}, and after consulting parents, teachers and community groups, the {issuer} has set out the arrangements that apply from this term.",
)
OTHER_FRAME_CLOSINGS = (
    "Schools should explain these arrangements to families through newsletters, meetings and their websites, and should answer questions from parents promptly and accurately.",
    "The {issuer} will review how each school has put this notice into practice and will follow up with any school where the arrangements have not been met.",
    "Questions about this notice should be sent to the {issuer} office, which will reply within five working days. Thank you for your cooperation.",
)
#: Issuers and topics of notice series.
ZH_ISSUERS = ("临江市教育局", "东川区教育局", "南屏县教育和体育局", "青原市教育委员会")
ZH_TOPICS = ("义务教育招生入学", "中小学安全教育", "课后服务", "校园食品安全", "教师继续教育")
OTHER_ISSUERS = ("Harbor Valley Education Office", "Riverside School Board", "Northfield District Council")
OTHER_TOPICS = ("school admissions", "pupil safety", "after-school care", "school meals", "teacher training")

#: Headlines of the related-article lists and previous/next links a template shows around a body.
ZH_RELATED = (
    "我市启动新一轮校园安全隐患排查",
    "多所学校开设劳动教育特色课程",
    "暑期托管服务报名通道即将开放",
    "青少年近视防控宣传周活动举行",
    "职业院校学生技能展示活动落幕",
    "乡村学校图书角建设稳步推进",
)
OTHER_RELATED = (
    "District opens new library wing for students",
    "Parents invited to autumn open evening",
    "Local teachers win regional science award",
    "City council approves school bus routes",
    "Summer reading challenge breaks record",
)
