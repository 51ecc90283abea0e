"""Site-policy paragraphs that the builder's line rules do not catch: comment
policies, opinion disclaimers and rights notices, often long or starting with
``**``. Matched on normalised text."""

from __future__ import annotations

from builder.arabic import normalize

POLICY_MARKERS = tuple(
    normalize(marker)
    for marker in (
        "الآراء الواردة",
        "لا تعبر عن رأي",
        "ترحب شبكة",
        "إرشادات الاستخدام",
        "سياسة الخصوصية",
        "شروط استخدام",
        "جميع الحقوق محفوظة",
        "حقوق النشر محفوظة",
        "جميع المقالات المنشورة تمثل رأي",
        "إضافة تعليق جديد",
        "أضف تعليقا",
        "الأكثر قراءة",
        "الأكثر تصفحا",
        "اقرأ أيضا",
    )
)
# One marker makes a short paragraph a notice; a longer one needs two, so a news
# paragraph that merely mentions "سياسة الخصوصية" stays.
MAX_NOTICE_WORDS = 25
MAX_POLICY_WORDS = 80


def is_policy(paragraph: str) -> bool:
    folded = normalize(paragraph)
    words = len(paragraph.split())
    if words > MAX_POLICY_WORDS:
        return False
    markers = sum(1 for marker in POLICY_MARKERS if marker in folded)
    return markers >= 2 or (markers == 1 and words <= MAX_NOTICE_WORDS)


def drop_policy(body: str) -> str:
    """``body`` (paragraphs separated by blank lines) without policy paragraphs."""
    return "\n\n".join(p for p in body.split("\n\n") if p.strip() and not is_policy(p))
