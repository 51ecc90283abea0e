"""Regenerate tests/fixtures/search/vectors.json from the Python analyzer.

Run only when the specification changes on purpose, then review the diff:
``python -m tests.search.make_vectors``. The ``checked`` entries are Lucene's
own ArabicStemmer cases and are asserted against their written values, not
regenerated.
"""

from __future__ import annotations

import json
from pathlib import Path

from builder.arabic import normalize
from builder.search.analyzer import analyze, analyze_token, search_normalize

VECTORS = Path(__file__).resolve().parents[1] / "fixtures" / "search" / "vectors.json"

# Lucene TestArabicStemFilter: input → stem, written by hand.
CHECKED = {
    "الحسن": "حسن",
    "والحسن": "حسن",
    "بالحسن": "حسن",
    "كالحسن": "حسن",
    "فالحسن": "حسن",
    "للاخر": "اخر",
    "وحسن": "حسن",
    "زوجها": "زوج",
    "ساهدان": "ساهد",
    "ساهدات": "ساهد",
    "ساهدون": "ساهد",
    "ساهدين": "ساهد",
    "ساهديه": "ساهد",
    "ساهدية": "ساهد",
    "ساهده": "ساهد",
    "ساهدة": "ساهد",
    "ساهدي": "ساهد",
    "وساهدون": "ساهد",
    "ساهدهات": "ساهد",
    "الو": "الو",
    "english": "english",
}

BASE = """
الحكومة حكومة الحكومات حكومي الحكومية والحكومة بالحكومة للحكومة وبالحكومة لحكومة
غزة بغزة لغزة وغزة فغزة قطاع القطاع الفلسطينيين فلسطين الفلسطينية إسرائيل الإسرائيلي
الرئيس رئيس رئيسة الرئاسة رؤساء مسؤول مسئول المسؤولين مسؤولية هيئة الهيئات
الوزراء وزير الوزير وزارة الوزارات رئيس_الوزراء أمريكا الأمريكية الولايات المتحدة
السعودية مصر المصرية القاهرة دمشق سوريا السورية العراق بغداد لبنان بيروت الأردن
اليمن صنعاء الخليج قطر الدوحة الإمارات أبوظبي تركيا أنقرة إيران طهران روسيا موسكو
الصين أوروبا الأوروبي بريطانيا لندن فرنسا باريس ألمانيا برلين الأمم المتحدة مجلس الأمن
الاقتصاد اقتصادي الاقتصادية النفط أسعار سعر البنك البنوك المركزي الدولار الاستثمار
الشركات شركة السوق الأسواق التجارة الصادرات الميزانية التضخم البطالة
الانتخابات انتخابات البرلمان البرلمانية النواب الأحزاب حزب المعارضة الديمقراطية
الحرب السلام المفاوضات اتفاق الاتفاقية الهدنة القصف الغارات الجيش الجنود القوات
اللاجئين المهاجرين الهجرة الحدود الأمن الشرطة المحكمة القضاء السجن الاعتقال
كرة القدم المنتخب الفريق المباراة الدوري البطولة اللاعب اللاعبين الهدف كأس العالم
الثقافة الفيلم السينما الممثلون الكتاب الرواية الشعر المسرح المهرجان الفنانون
التكنولوجيا الهاتف الإنترنت التطبيق الذكاء الاصطناعي شبكة فيسبوك تويتر الإلكترونية
مستشفى الصحة المرضى الأطباء الدواء اللقاح الفيروس كورونا التعليم الجامعة الطلاب المدارس
السماء الماء شيء جزء أبناء بناء مساء هؤلاء سؤال رئاسة بريكست ترامب بوتين أردوغان
مؤتمر المؤتمر مؤسسة المؤسسات تأثير التأثير سائق قائد القائد مسائل مرأة المرأة النساء
مستوى المستوى موسيقى الموسيقى فتى مبنى المعنى على إلى حتى لدى متى أمريكى
""".split()  # noqa: SIM905 - a word list reads better as text

VARIANTS = [
    "العَرَبِيَّةُ",
    "الـعـربـيـة",
    "مُحَمَّدٌ",
    "القُرْآنُ",
    "ﻻ",
    "ﷲ",
    "ﺍﻟﺴﻼﻡ",
    "ی",
    "کتاب",
    "کتابی",
    "مدرسۀ",
    "٢٠١٨",
    "۲۰۱۹",
    "१२३",
    "2018م",
    "١٠٠٪",
    "ب\u200cيروت",
    "\u200fالقدس\u200e",
    "ٱلرحمن",
    "آمال",
    "إعلان",
    "أعلن",
    "ئ",
    "ء",
    "ؤ",
    "وَالْحُكُومَةُ",
    "بِـالـحـكـومـة",
    "لِلْحُكُومَةِ",
    "COVID",
    "BBC",
    "Trump",
    "Ärzte",
    "ﺑﻴﺮﻭﺕ",
    "ها",
    "ان",
    "ات",
    "وو",
    "بب",
    "لل",
    "ال",
    "وال",
    "بال",
    "ولد",
    "والد",
    "بيت",
    "بلد",
    "لبن",
    "الي",
    "المعني",
    # ى decides stop words (issue: the name علي must stay searchable)
    "علي",
    "عَلِيّ",
    "وعلي",
    "على",
    "عَلَى",
    "وعلى",
    "ﻋﻠﻰ",
    "إلى",
    "الى",
    "آلي",
    "الآلي",
    "حتى",
    "حتي",
    "لدى",
    "لدي",
    "سوى",
    "سوي",
    "مصطفى",
    "مصطفي",
]

TEXTS = [
    "(بريكست)",
    "#قطاع_غزة",
    "«الحكومة»، والبرلمان؛ ماذا بعد؟",
    'قال الرئيس: "لن نتراجع".',
    "عام ٢٠١٨ و۲۰۱۹ و2020",
    "الـمـؤتـمـر الصحفي",
    "رئيس الوزراء البريطاني",
    "في عام 2018، قررت الحكومة...",
    "وزير-الخارجية/الأمريكي",
    "COVID-19 فيروس كورونا",
    "هذا هو ما قاله في الاجتماع",
    "ﻻ يمكن",
    "الأمم المتحدة (UN) تدعو",
    "e-mail: news@example.com",
    "مِئَةُ أَلْفِ مَقَالٍ",
    "ب\u200cيروت\u200fـ\u200eلبنان",
    "كلمة_بخط_سفلي و#وسم",
    "سؤالٌ عن مسؤولية الهيئة",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa كلمة",
    "",
    "قال علي بن أبي طالب على المنبر",
    "ذهب إلى المصنع الآلي وعلى بابه علىّ",
]


def word_vector(text: str) -> dict[str, object]:
    token = search_normalize(text)
    analyzed = analyze_token(token)
    entry: dict[str, object] = {"input": text, "normalized": normalize(text), "token": token}
    if analyzed is None:
        entry.update(surface=None, stem=None, alt=None)
    else:
        entry.update(surface=analyzed[0], stem=analyzed[1], alt=analyzed[2])
    return entry


def text_vector(text: str) -> dict[str, object]:
    words = analyze(text)
    return {"text": text, "words": [[w.position, w.surface, w.stem, w.alt] for w in words]}


def build() -> dict[str, object]:
    words = [word_vector(w.replace("_", " ")) for w in BASE + VARIANTS]
    checked = [{"input": k, "stem": v} for k, v in CHECKED.items()]
    return {"checked": checked, "words": words, "texts": [text_vector(t) for t in TEXTS]}


if __name__ == "__main__":
    VECTORS.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
