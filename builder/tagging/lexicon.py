"""The word knowledge entity discovery stands on: open data shipped in
``builder/data/entities/`` (see its LICENSES.md) plus the closed-class words of
Arabic news grammar (titles, roles, the head nouns of organisations and places).

Everything is in the project's normalised form (``builder.arabic.normalize``:
hamza forms, ة → ه, ى → ي, no marks). Loaded once per process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from builder.arabic import normalize

DATA = Path(__file__).resolve().parents[1] / "data" / "entities"


def _n(words: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in words.split())


# Titles and honorifics that stand right before a name and are never part of it.
TITLES = _n(
    """الرئيس الرئيسة الملك الملكة الأمير الأميرة الشيخ الشيخة السيد السيدة السيدات الدكتور الدكتورة د
    المهندس المهندسة الأستاذ الأستاذة اللاعب اللاعبة المدرب المدربة النجم النجمة الفنان الفنانة المخرج
    المخرجة الكاتب الكاتبة الشاعر الشاعرة الإعلامي الإعلامية الصحفي الصحفية الصحافي الصحافية الجنرال
    العقيد اللواء العميد المشير الفريق النقيب الرائد الملازم النائب النائبة السفير السفيرة الوزير الوزيرة
    الإمام البابا القس الحاج المستشار المستشارة المدير المديرة الداعية المغني المغنية الممثل الممثلة
    العاهل الزعيم القائد المرشح المرشحة الناشط الناشطة المحامي المحامية القاضي القاضية الباحث الباحثة
    البروفيسور المفتي الحارس المهاجم المدافع الأسطورة رئيسة معالي سعادة سمو فخامة جلالة سماحة
    الأمين المبعوث المتحدث الناطق المفوض المفوضة المحافظ الوالي العمدة المراسل المراسلة الطبيب الطبيبة
    الروائي الروائية الملحن المطرب المطربة الأب الراحل الراحلة الشهيد الشهيدة المتهم المتهمة"""
)
# Heads of a role phrase: «وزير الخارجية الأمريكي …», «المتحدث باسم …» stand before a name.
ROLE_HEADS = _n(
    """وزير وزيرة رئيس رئيسة مدير مديرة سفير سفيرة أمين ممثل ممثلة نائب نائبة قائد زعيم مستشار مستشارة
    مبعوث محافظ والي عمدة متحدث المتحدث الناطق ناطق مساعد مساعدة عضو مؤسس مدرب لاعب حاكم ولي مفوض
    مفوضة وكيل رئيس نجم نجمة مهاجم مدافع حارس قاضي مفتي أمير ملك ملكة شيخ مندوب منسق مراسل"""
)
# Words that build a name: «محمد بن سلمان», «آل ثاني», «أبو الغيط», «عبد الله».
PARTICLES = _n("بن بنت ابن آل أبو أبي أبا أم عبد ولد")

# Head nouns of organisations. Strong heads name a body with one complement
# («وزارة الداخلية»); weak ones need more («مركز الملك عبدالله للدراسات»).
ORG_HEADS_STRONG = _n(
    """وزارة هيئة منظمة جامعة شركة بنك مصرف حزب وكالة صندوق نادي اتحاد جمعية مؤسسة مجلس محكمة
    جبهة تنظيم جماعة ائتلاف تحالف نقابة رابطة مفوضية مجموعة قناة صحيفة إذاعة جريدة مجلة أكاديمية
    برلمان ميليشيا ميليشيات كتائب سرايا بورصة"""
)
ORG_HEADS_WEAK = _n(
    """قوات تنظيم حركة مركز لجنة لجان معهد كلية مدرسة مستشفى مكتب ديوان دائرة مصلحة بلدية غرفة سلطة أمانة
    إدارة جيش شرطة موقع منصة"""
)
ORG_HEADS = ORG_HEADS_STRONG | ORG_HEADS_WEAK

# Heads of place names. Administrative heads are dropped from the name (مدينة صفاقس → صفاقس);
# landmark heads stay (مطار القاهرة الدولي).
PLACE_HEADS_ADMIN = _n("مدينة محافظة ولاية منطقة إقليم مقاطعة قرية بلدة معتمدية قضاء ناحية مديرية بلدتي مدينتي قريتي")
PLACE_HEADS_LANDMARK = _n(
    "مطار ميناء ملعب جبل جبال نهر بحيرة صحراء جزيرة جزر شارع ساحة مخيم قصر مسجد حي وادي خليج قلعة ريف"
)
PLACE_HEADS = PLACE_HEADS_ADMIN | PLACE_HEADS_LANDMARK

# Adjectives that close an organisation's or place's name and are not nisba (…ي/…ية).
NAME_ADJECTIVES = _n(
    """المتحدة المتحدتين العامة العام العليا الأعلى الكبرى الأكبر الأحمر الأخضر الأبيض الأسود الأزرق
    الحر الحرة الجديدة الجديد الموحد الموحدة المستقلة المستقل المركزي الحاكم الثاني الأول الأولى الثانية
    المفتوحة الشعبية الأوسط الأقصى الأدنى الميت الدولي الدولية الشمالية الجنوبية الشرقية الغربية"""
)
# Prepositions after which a word is a place (في صفاقس، إلى جدة).
LOCATIVES = _n("في من إلى الى نحو قرب بمدينة شمال جنوب شرق غرب وسط شمالي جنوبي شرقي غربي داخل خارج أنحاء")
# Cue words of a Jordanian context (عمان = Amman) and an Omani one (عمان = Oman).
JORDAN_CUES = _n("الأردن الأردني الأردنية الأردنيين الأردنيون الأردنيه")
OMAN_CUES = _n("سلطنة العماني العمانية العمانيين مسقط")

# Function words: never part of a name (written forms matter: «على» is not the name «علي»).
STOP = _n(
    """من في على إلى الى عن مع أن إن أو ثم لا لم لن ما هو هي هم هن هذا هذه ذلك تلك التي الذي الذين اللذين
    اللتين قد كان كانت يكون تكون بين حول بعد قبل عند منذ حتى خلال ضد نحو عبر دون كل بعض غير أي إذ إذا
    لكن بل أنه أنها إنه إنها أنهم إنهم له لها لهم به بها عليه عليها فيه فيها منه منها عنه عنها كما حيث
    أمس اليوم غدا أيضا فقط جدا وفق لدى لدي ضمن عدة عدد أكثر أقل أول آخر سنة عام يوم شهر أسبوع مساء صباح
    ليلة ساعة دقيقة مليون مليار ألف مائة أحد إحدى لما بأن بان كأن لأن ألا إلا ضمن بالا"""
)
# Everyday words more frequent than this (zipf) never start or continue a name.
FUNCTION_ZIPF = 5.0
# Everyday nouns more frequent than this are not names, even when Wikidata has them as given names.
COMMON_NOUN_ZIPF = 4.0


@dataclass(frozen=True, eq=False)  # one per process; hashed by identity (memo keys)
class Lexicon:
    given: frozenset[str]
    given_people: dict[str, int]  # given name -> how many Wikidata people carry it
    family: frozenset[str]
    places: dict[str, tuple[str, int]]  # place name -> (ISO country code, population)
    words: dict[str, tuple[float, bool]]  # frequent word -> (zipf, takes «ال» like a noun)
    place_starts: dict[str, int] = field(default_factory=dict)  # first word of place names -> most words
    _verbs: dict[str, bool] = field(default_factory=dict)  # is_verb's answers: words repeat

    def zipf(self, word: str) -> float:
        known = self.words.get(word)
        return known[0] if known else 0.0

    def is_noun(self, word: str) -> bool:
        """An everyday noun or adjective (takes «ال»), frequent enough to count."""
        known = self.words.get(word)
        return known is not None and known[1]

    def is_function(self, word: str) -> bool:
        """A very frequent word that is not a noun: a particle, a verb, a pronoun."""
        known = self.words.get(word)
        return known is not None and not known[1] and known[0] >= FUNCTION_ZIPF and word not in self.given

    def is_inflected(self, word: str) -> bool:
        """A frequent non-noun that is a known word with a proclitic (وقال، بصفة، ولفت)."""
        if word[:1] == "س" and word[1:2] in "يتن" and len(word) > 4 and self.is_known(word[1:]):
            return True  # the future: «سيزور»
        # The rest must be an everyday word: «بلير»، «لبنان» are no «ب/ل» + a place or a name.
        return word[:1] in "وفبلك" and len(word) > 3 and word[1:] in self.words and not self.is_noun(word)

    def starts_a_name(self, word: str) -> bool:
        """A given name that can open a name by itself: everyday words that are also
        given names (أمل، الآن، هنا، تحسين) need many Wikidata people to carry them."""
        people = self.given_people.get(word, 0)
        if not people:
            return False
        zipf = self.zipf(word)
        if self.is_noun(word):
            return zipf < 3.5 or people >= 300
        return zipf < FUNCTION_ZIPF or people >= 100

    def is_verb(self, word: str) -> bool:
        """A frequent word no name list knows that inflects like a verb or participle: the list
        also has it with a verb's or plural's ending (افتتح → افتتحت، تعتزم → يعتزم). Foreign
        names that wordfreq knows (ترامب، ميسي، ستيفن) never take those endings."""
        known = self._verbs.get(word)
        if known is None:
            if len(self._verbs) > 300_000:
                self._verbs.clear()
            known = self._verbs[word] = self._inflects_like_a_verb(word)
        return known

    def _inflects_like_a_verb(self, word: str) -> bool:
        if self.zipf(word) < 3.0 or self.is_noun(word) or self.is_person_name(word) or word in self.places:
            return False
        words = self.words
        if any(word + ending in words for ending in ("ت", "وا", "ون", "ين")):
            return True
        return word[:1] in "يتن" and any(p + word[1:] in words for p in "يتن" if p != word[0])

    def is_suffixed(self, word: str) -> bool:
        """A known word with a pronoun or verb ending (صورته، تركوه، عملت): not a name."""
        if self.is_person_name(word):
            return False
        # Not «ه» (ة is normalised to it), «ون»/«ين» (plural nisba: الأمريكيين) or «ت» (بيروت).
        for suffix in ("ته", "تها", "تهم", "وه", "ها", "هم", "هن", "وا", "تم", "نا"):
            stem = word[: -len(suffix)]
            if word.endswith(suffix) and len(stem) >= 3 and self.zipf(stem) >= 3.0:
                return True
        # «ه» only after a very frequent word that is no noun taking «ة» (خلاله، عليه، لديه).
        if word.endswith("ه") and len(word) >= 4 and self.zipf(word[:-1]) >= max(4.5, self.zipf(word) + 1.0):
            return True
        # The dual of a feminine noun: «عبوتين»، «منطقتان» (عبوة، منطقة).
        if word.endswith(("تين", "تان")) and len(word) >= 6 and self.is_noun(word[:-3] + "ه"):
            return True
        # The dual or plural of a noun more frequent than it: «اتصالين»، «هاتفيين» (not «لبنان»).
        if word.endswith(("ين", "ان")) and len(word) >= 5 and self.is_noun(word[:-2]):
            stem_zipf = self.zipf(word[:-2])  # «داميان» is no dual of the rarer «دامي»
            return self.zipf(word) < stem_zipf and (stem_zipf >= 4.5 or word.endswith(("يين", "يان")))
        # The accusative of a noun or adjective: «عرضا»، «جماهيريا»، «مسؤولا».
        return word.endswith("ا") and len(word) >= 4 and self.is_noun(word[:-1])

    def is_person_name(self, word: str) -> bool:
        return word in self.given or word in self.family

    def is_known(self, word: str) -> bool:
        return word in self.words or word in self.given or word in self.family or word in self.places


def _lines(name: str) -> list[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def _starts(names: dict[str, tuple[str, int]]) -> dict[str, int]:
    starts: dict[str, int] = {}
    for name in names:
        words = name.split()
        starts[words[0]] = max(starts.get(words[0], 0), min(3, len(words)))
    return starts


@cache
def lexicon() -> Lexicon:
    words: dict[str, tuple[float, bool]] = {}
    for line in _lines("words.tsv"):
        word, zipf, kind = line.split("\t")
        words[word] = (int(zipf) / 10, kind == "n")
    places = {}
    for line in _lines("places.tsv"):
        name, country, population = line.split("\t")
        places[name] = (country, int(population))
    given_people = {}
    for line in _lines("given_names.tsv"):
        name, people = line.split("\t")
        given_people[name] = int(people)
    return Lexicon(
        given=frozenset(given_people),
        given_people=given_people,
        family=frozenset(_lines("family_names.txt")),
        places=places,
        words=words,
        place_starts=_starts(places),
    )
