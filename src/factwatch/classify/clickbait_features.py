"""Hand-written clickbait cues for Vietnamese, French and English headlines.

Each cue has one language-neutral name (``curiosity_gap``, ``second_person``, ...) and a form per
language, so that a model trained on Vietnamese and English headlines can use the same cue on a
French one.  :func:`cues` returns the cues that fire on a headline with the words that fired them:
that is what the classifier shows a human as ``why``.

Matching is done on NFC, case-folded text with the accents kept (Vietnamese tone marks carry
meaning: "sốc" is not "sóc"); headlines typed without accents only get the language-neutral cues.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factwatch.text.normalize import normalize_text

# Order matters: it is the order of the model's hand-feature columns.
CUE_NAMES: tuple[str, ...] = (
    "curiosity_gap",
    "withheld_subject",
    "forward_reference",
    "second_person",
    "imperative",
    "superlative",
    "numbered_list",
    "sensational_words",
    "question",
    "exclamation",
    "shouting",
    "emoji",
    "scare_quotes",
    "ellipsis",
)

CUE_LABELS: dict[str, str] = {
    "curiosity_gap": "curiosity gap (withholds the point)",
    "withheld_subject": "unnamed subject ('this star', 'nam diễn viên', 'cette actrice')",
    "forward_reference": "forward reference ('this', 'voici', 'điều này')",
    "second_person": "second-person address",
    "imperative": "imperative call to the reader",
    "superlative": "superlative or record claim",
    "numbered_list": "number as a list ('10 things', '5 cách', '7 astuces')",
    "sensational_words": "sensational or emotional wording",
    "question": "question to the reader",
    "exclamation": "exclamation mark",
    "shouting": "shouting (words in capitals)",
    "emoji": "emoji",
    "scare_quotes": "short phrase in quotes (slang or irony)",
    "ellipsis": "trailing ellipsis",
}


def _alt(words: str) -> str:
    """A regex alternation of ``|``-separated phrases, longest first, as whole words."""
    parts = sorted({w.strip() for w in words.split("|") if w.strip()}, key=len, reverse=True)
    return r"(?<!\w)(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts) + r")(?!\w)"


# Per cue, per language: phrases (case-folded, accents kept).
_LEXICON: dict[str, dict[str, str]] = {
    "curiosity_gap": {
        "en": "you won't believe|you will never believe|won't believe|what happened next|what happens next|"
        "the reason why|the real reason|here's why|here is why|here's what|here's how|this is why|"
        "this is what|this is how|the truth about|the secret|secret to|secrets of|revealed|"
        "can you guess|guess what|will blow your mind|blow your mind|will make you|made me|"
        "nobody expected|no one expected|you need to know|need to see|you have to see|"
        "the internet is|people are losing it|everyone is talking|what it means|find out|"
        "the answer will|surprising|you didn't know|didn't know|things you|all the things|"
        "which|can we guess|how well do you|quiz|what your|tell you|is the best thing",
        "fr": "vous ne devinerez jamais|vous ne croirez pas|ne croirez pas|n'en croirez pas|"
        "n'en revient pas|n'en reviennent pas|la suite est|la suite va|la raison va|va vous surprendre|"
        "vont vous surprendre|va vous étonner|vont vous étonner|voici pourquoi|voici comment|"
        "voici ce que|voici le|voici la|voici les|ce que personne|personne ne s'attendait|"
        "on sait enfin|enfin la vérité|la vérité sur|le secret|les secrets|secret enfin|enfin dévoilé|"
        "enfin révélé|enfin révélée|"
        "ce qui arrive|ce qui s'est passé|"
        "ce n'est pas ce que|pas celui que vous croyez|pas celle que vous croyez|"
        "vous allez adorer|découvrez|faites le test|"
        ""
        "que personne ne connaît|méconnue|méconnu|cache un|cachent|va tout changer|"
        "pourrait tout changer|peut tout changer|vous avez tort|vous devriez",
        "vi": "bất ngờ|sự thật|hóa ra|thì ra|lý do|nguyên nhân khiến|bí mật|bí quyết|tiết lộ|"
        "điều gì|là gì|thế nào|ra sao|vì sao|tại sao|ai ngờ|không ngờ|ít ai biết|ai cũng|"
        "không phải ai cũng|cái kết|và cái kết|kết cục|chuyện gì|điều bất ngờ|hé lộ|"
        "lộ diện|ngỡ ngàng|khó tin|không thể tin|đây là|điều này|mới biết|mới hiểu|"
        "nghe xong|xem xong|nhìn thấy|phát hiện|sự thật về|hậu quả|khiến|gây chú ý|chưa ai biết",
    },
    "withheld_subject": {
        "en": "this guy|this man|this woman|this girl|this boy|this kid|this dad|this mom|this mum|"
        "this couple|this dog|this cat|this person|this teen|this celebrity|this star|someone|"
        "this photographer|this artist|this actor|this actress|this singer",
        "fr": "cette star|ce chanteur|cette chanteuse|cet acteur|cette actrice|cet homme|cette femme|"
        "ce footballeur|ce joueur|ce célèbre|cette célèbre|cet influenceur|cette influenceuse|"
        "ce présentateur|cette présentatrice|cet animateur|cette animatrice|ce couple|ce chien|"
        "ce chat|cet enfant|"
        "un homme|une femme|"
        "un couple",
        "vi": "nam diễn viên|nữ diễn viên|nam ca sĩ|nữ ca sĩ|sao nam|sao nữ|sao việt|mỹ nhân|"
        "mỹ nam|hot girl|hot boy|hotgirl|hoa hậu việt|người đẹp|cô gái|chàng trai|người đàn ông|"
        "người phụ nữ|cặp đôi|nàng hậu|nam mc|nữ mc|nam danh hài|cầu thủ nổi tiếng|"
        "diễn viên nổi tiếng|ca sĩ nổi tiếng|sao hạng a|đại gia|thiếu gia|tiểu thư|"
        "một người|người này|nhân vật|cô nàng|anh chàng|bà mẹ|ông bố|cụ ông|cụ bà",
    },
    "forward_reference": {
        "en": "this|these|here's|here are|here is|that's why|this is|they're",
        "fr": "voici|voilà|ces|ça|cela",
        "vi": "này|đây|điều này|cách này|loại này|món này|đó là|thứ này",
    },
    "second_person": {
        "en": "you|your|yours|you're|you've|you'll|you'd|yourself",
        "fr": "vous|votre|vos|tu|ton|ta|tes|toi|te|vôtre",
        "vi": "bạn|các bạn|chị em|anh em|mẹ bỉm|các mẹ|bố mẹ nên|bạn có|bạn đã|bạn nên",
    },
    "imperative": {
        "en": "don't|do not|stop|try|watch|look|check out|meet|see|read|never|must|should|need to|"
        "let's|just|please|take a look|get ready|prepare",
        "fr": "découvrez|regardez|arrêtez|ne ratez pas|essayez|faites|attention|"
        "vérifiez|à ne jamais|à ne pas|il ne faut jamais|"
        "il ne faut surtout pas|surtout pas|absolument|à tout prix|à éviter|à connaître",
        "vi": "đừng|hãy|chớ|cần biết|nên biết|phải biết|nhất định phải|tuyệt đối không|"
        "cảnh giác|lưu ý|chú ý|coi chừng|cẩn thận|đừng bỏ qua|đừng vội|nên làm|làm ngay",
    },
    "superlative": {
        "en": "most|best|worst|greatest|biggest|ever|of all time|cutest|weirdest|funniest|"
        "craziest|saddest|smartest|strangest|ultimate|perfect|record|epic",
        "fr": "le plus|la plus|les plus|meilleur|meilleure|meilleurs|meilleures|pire|pires|"
        "de tous les temps|jamais|record|inédit|unique au monde|du monde|ultime|parfait|parfaite",
        "vi": "nhất|kỷ lục|chưa từng|chưa từng thấy|chưa từng có|hơn cả|siêu|cực kỳ|cực|vô cùng|"
        "đỉnh|đỉnh cao|khủng|kỉ lục|vô địch|độc nhất|hiếm có|có một không hai|choáng ngợp",
    },
    "sensational_words": {
        "en": "shocking|shocked|amazing|insane|unbelievable|incredible|adorable|hilarious|"
        "heartbreaking|heartwarming|omg|wtf|lol|literally|awesome|jaw-dropping|mind-blowing|"
        "terrifying|creepy|gorgeous|stunning|genius|brilliant|wow|totally|seriously|actually|"
        "basically|freaking|magical|perfectly|ridiculous|outrageous|cute|weird|bizarre",
        "fr": "choc|choquant|incroyable|hallucinant|hallucinante|bluffant|bluffante|bouleversant|"
        "bouleversante|terrifiant|effrayant|effroyable|scandale|fou|folle|génial|géniale|dingue|"
        "sidérant|glaçant|glaçante|glace le sang|affole|buzz|virale|viral|adorable|adorables|"
        "hilarante|hilarant|méconnaissable|coup de tonnerre|furieux|"
        "fait scandale|fait le tour|sous le choc|se déchaîne|fait craquer|"
        "enflamme|affolant|délirant|époustouflant|stupéfiant|stupéfaction|incroyable mais vrai",
        "vi": "sốc|cực sốc|choáng|choáng váng|kinh hoàng|kinh hãi|rùng mình|gây sốt|gây bão|"
        "xôn xao|dậy sóng|náo loạn|hú vía|xót xa|phẫn nộ|bức xúc|bàng hoàng|gây phẫn nộ|"
        "náo nhiệt|rần rần|ầm ầm|hot|cực hot|nóng bỏng|gây tranh cãi|tranh cãi|ồn ào|"
        "ngã ngửa|ngất ngây|sững sờ|té ngửa|chấn động|rúng động|đau lòng|thót tim|"
        "điếng người|mê mẩn|phát sốt|lên hương|gây xôn xao|cuồng|gây choáng|thảm họa|"
        "tá hỏa|hốt hoảng|điêu đứng|lao đao|hụt hơi|thoi thóp|hời|cực đỉnh|đẹp ngỡ ngàng",
    },
}

# Phrases that are not headline words in a language at all, per language, compiled once.
_PATTERNS: dict[str, dict[str, re.Pattern[str]]] = {
    cue: {lang: re.compile(_alt(words)) for lang, words in by_lang.items()}
    for cue, by_lang in _LEXICON.items()
}

_EMOJI = re.compile(
    "[\U0001f300-\U0001faff\U00002600-\U000027bf\U0001f000-\U0001f2ff\U00002b50\U00002b55"
    "\U0000203c\U00002049\U0000fe0f]"
)
_QUOTED = re.compile(r"[\"“”'‘’«»]\s?([^\"“”'‘’«»]{1,40}?)\s?[\"“”'‘’«»]")
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)")
_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)
_NUMBER_LIST = {
    "en": re.compile(
        r"^(?:the\s+|top\s+)?(\d{1,3})\s+(?!percent|per\b|years?\b|%|am\b|pm\b)[^\W\d_]+", re.I
    ),
    "fr": re.compile(
        r"^(?:les\s+|top\s+)?(\d{1,3})\s+(?!%|ans\b|euros?\b|millions?\b|milliards?\b|morts?\b|blessés?\b|km\b|heures?\b|jours?\b|mois\b|h\b)[^\W\d_]+",
        re.I,
    ),
    "vi": re.compile(
        r"^(?:top\s+)?(\d{1,3})\s+(?:cách|loại|điều|dấu hiệu|món|thói quen|lý do|mẹo|bí quyết|sai lầm|"
        r"thực phẩm|loại quả|kiểu|việc|thứ|bài tập|con giáp|cung hoàng đạo|địa điểm|điểm đến|"
        r"câu|bước|lưu ý|tác dụng|lợi ích|nguyên tắc|điều cần|mẫu|sự thật|khoảnh khắc)",
        re.I,
    ),
}
_NUMBER_LIST_ANY = re.compile(r"^(?:top\s+)?(\d{1,2})\s+[^\W\d_]{3,}", re.I)
# Capitalised words that are normal in news headlines.
_ACRONYMS = frozenset(
    [
        "covid",
        "unesco",
        "unicef",
        "nasdaq",
        "opec",
        "otan",
        "nato",
        "fifa",
        "uefa",
        "usa",
        "cnn",
        "bbc",
        "nasa",
        "sncf",
        "insee",
        "ratp",
        "tphcm",
        "hcm",
        "ttxvn",
        "vtv",
        "vov",
        "thpt",
        "ubnd",
        "hđnd",
        "hdnd",
        "bhxh",
        "csgt",
        "vnexpress",
        "nvidia",
        "apple",
        "google",
        "video",
        "clip",
        "infographic",
        "ảnh",
        "tp",
    ]
)


@dataclass(frozen=True, slots=True)
class Cue:
    name: str
    match: str
    lang: str | None = None

    def describe(self) -> str:
        where = f"{self.lang}: " if self.lang else ""
        return f"{self.name} ({where}“{self.match}”)" if self.match else self.name


def clean_title(title: str) -> str:
    """NFC text without a trailing outlet name (" - Báo VietnamNet", " | Le Monde")."""
    text = normalize_text(title).replace("\n", " ")
    return _OUTLET.sub("", text) or text


_OUTLET = re.compile(
    r"\s+[-|–—]\s+(?:Báo|Tạp chí|Tạp Chí|Tin tức|Đài|Cổng|Trang|Kênh|Le |La |Les |L'|BFM|France |"
    r"Ouest|Libération|Mediapart|RTL|TF1|CNN|BBC|Reuters|AP|AFP|The |VnExpress|VietnamNet|Dân trí|"
    r"Thanh Niên|Tuổi Trẻ|Bnews|Znews|Zing|Kenh14|Kênh 14|Soha|VTC|VOV|VTV)[^-|–—]{0,45}$"
)


def cues(title: str, lang: str | None) -> list[Cue]:
    """The cues that fire on ``title``; lexical cues are looked up in ``lang``'s forms
    (all three languages when ``lang`` is not one of vi/fr/en)."""
    text = clean_title(title)
    low = text.casefold()
    langs = (lang,) if lang in ("vi", "fr", "en") else ("vi", "fr", "en")
    found: list[Cue] = []
    for cue, by_lang in _PATTERNS.items():
        for lg in langs:
            m = by_lang[lg].search(low)
            if m:
                found.append(Cue(cue, m.group(0), lg))
                break
    for lg in langs:
        m = _NUMBER_LIST[lg].search(low)
        if m:
            found.append(Cue("numbered_list", m.group(0), lg))
            break
    else:
        if lang not in ("vi", "fr", "en"):
            m = _NUMBER_LIST_ANY.search(low)
            if m:
                found.append(Cue("numbered_list", m.group(0)))
    if "?" in text:
        found.append(Cue("question", "?"))
    if "!" in text:
        found.append(Cue("exclamation", "!"))
    shout = [
        w
        for w in _WORD_RE.findall(text)
        if len(w) >= 4 and w.isupper() and w.casefold() not in _ACRONYMS
    ]
    if shout and (len(shout) >= 2 or len(shout[0]) >= 5):
        found.append(Cue("shouting", " ".join(shout[:3])))
    m = _EMOJI.search(text)
    if m:
        found.append(Cue("emoji", m.group(0)))
    m = _QUOTED.search(text)
    if m and len(m.group(1).split()) <= 4:
        found.append(Cue("scare_quotes", m.group(0)))
    if _ELLIPSIS.search(text):
        found.append(Cue("ellipsis", "…"))
    return found


def cue_vector(found: list[Cue]) -> list[float]:
    """One 0/1 column per name in :data:`CUE_NAMES`."""
    names = {c.name for c in found}
    return [1.0 if n in names else 0.0 for n in CUE_NAMES]
