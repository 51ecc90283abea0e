/* Arabic search analyzer: the browser twin of builder/search/analyzer.py and
 * builder/arabic.py:normalize. Both are checked against one file of test
 * vectors (tests/fixtures/search/vectors.json); change them together.
 * Plain script: defines window.ArSearchAnalyzer, or module.exports in node. */
(function (root) {
  "use strict";

  var MAX_TOKEN = 40;
  var INVISIBLE = /[\u200b\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u2060\u00ad]/g;
  var MARKS = /[\u064b-\u065f\u0670\u0610-\u061a\u06d6-\u06ed]/g;
  var LETTERS = {
    "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627",
    "\u0649": "\u064a", "\u0629": "\u0647", "\u06cc": "\u064a", "\u06d0": "\u064a",
    "\u06a9": "\u0643", "\u06c0": "\u0647", "\u06d5": "\u0647", "\u0640": ""
  };
  var LETTER_RE = /[\u0622\u0623\u0625\u0671\u0649\u0629\u06cc\u06d0\u06a9\u06c0\u06d5\u0640]/g;
  var LETTER_KEEP_YA_RE = /[\u0622\u0623\u0625\u0671\u0629\u06cc\u06d0\u06a9\u06c0\u06d5\u0640]/g;
  var YA_RE = /\u0649/g;
  // Code points of every decimal digit zero in Python 3.11's Unicode data, so
  // both sides agree on which characters are digits.
  var DIGIT_ZEROS = [0x30,0x660,0x6f0,0x7c0,0x966,0x9e6,0xa66,0xae6,0xb66,0xbe6,0xc66,0xce6,0xd66,0xde6,0xe50,0xed0,0xf20,0x1040,0x1090,0x17e0,0x1810,0x1946,0x19d0,0x1a80,0x1a90,0x1b50,0x1bb0,0x1c40,0x1c50,0xa620,0xa8d0,0xa900,0xa9d0,0xa9f0,0xaa50,0xabf0,0xff10,0x104a0,0x10d30,0x11066,0x110f0,0x11136,0x111d0,0x112f0,0x11450,0x114d0,0x11650,0x116c0,0x11730,0x118e0,0x11950,0x11c50,0x11d50,0x11da0,0x16a60,0x16ac0,0x16b50,0x1d7ce,0x1d7d8,0x1d7e2,0x1d7ec,0x1d7f6,0x1e140,0x1e2f0,0x1e950,0x1fbf0];
  var ND = /\p{Nd}/gu;
  var TOKEN = /[\p{L}\p{N}]+/gu;
  // In searchNormalize's form: ى kept, so على is a stop word and the name علي is not.
  var STOP_WORDS = new Set("اذ اذا اذن اضاف اضافت الا التي الذي الذين اللاتي اللتان اللذان اللواتي الى اليه اليها ام اما ان انا انت انتم انتما انتن او اولئك اي اياه ايضا ايها ب بان بعد بعض بل به بها بين تقول تكون تلك ثم حتى حيث خلال دون ذلك سوى ضد عبر على عليه عليها عن عند عندما غير ف فان فقد فلا في فيه فيها قال قالت قبل قد ك كان كانت كانوا كذلك كل كما كي ل لا لان لدى لكن لم لن له لها لو ليس ليست ما مثل مع من منذ منه منها نحن نحو هؤلاء هاتان هذا هذان هذه هل هم هما هن هنا هناك هو هي و واضاف واضافت وان وعلى وعن وفي وقال وقد ولا ولم وما ومع ومن وهو وهي يقول يكون فى هى الذى التى اى وفى وهى".split(" "));
  var PREFIXES = ["\u0627\u0644", "\u0648\u0627\u0644", "\u0628\u0627\u0644", "\u0643\u0627\u0644",
    "\u0641\u0627\u0644", "\u0644\u0644", "\u0648"];
  var SUFFIXES = ["\u0647\u0627", "\u0627\u0646", "\u0627\u062a", "\u0648\u0646", "\u064a\u0646",
    "\u064a\u0647", "\u0647", "\u064a"];
  var HAMZA_RE = /[\u0624\u0626\u0621]/g;
  var HAMZA = { "\u0624": "\u0648", "\u0626": "\u064a", "\u0621": "" };
  var PROCLITICS = "\u0628\u0644";
  var WAW_FEH = "\u0648\u0641";

  function digitValue(ch) {
    var cp = ch.codePointAt(0);
    for (var i = 0; i < DIGIT_ZEROS.length; i++) {
      var zero = DIGIT_ZEROS[i];
      if (cp >= zero && cp <= zero + 9) return String(cp - zero);
    }
    return ch;
  }

  function fold(text, letters) {
    text = text.normalize("NFKC");
    text = text.replace(INVISIBLE, "");
    text = text.replace(MARKS, "");
    text = text.replace(letters, function (ch) { return LETTERS[ch]; });
    text = text.replace(ND, digitValue);
    return text.normalize("NFKC").toLowerCase();
  }

  function normalize(text) {
    return fold(text, LETTER_RE);
  }

  // normalize, except that ى stays: stop words are matched before ى → ي.
  function searchNormalize(text) {
    return fold(text, LETTER_KEEP_YA_RE);
  }

  function foldHamza(token) {
    return token.replace(HAMZA_RE, function (ch) { return HAMZA[ch]; });
  }

  function strippablePrefix(word, prefix) {
    if (prefix.length === 1 && word.length < 4) return false;
    if (word.length < prefix.length + 2) return false;
    return word.startsWith(prefix);
  }

  function suffixes(word) {
    for (var j = 0; j < SUFFIXES.length; j++) {
      var suffix = SUFFIXES[j];
      if (word.length >= suffix.length + 2 && word.endsWith(suffix)) {
        word = word.slice(0, word.length - suffix.length);
      }
    }
    return word;
  }

  // The one prefix light10 strips from word ("" for none).
  function prefixOf(word) {
    for (var i = 0; i < PREFIXES.length; i++) {
      if (strippablePrefix(word, PREFIXES[i])) return PREFIXES[i];
    }
    return "";
  }

  function stem(word) {
    return suffixes(word.slice(prefixOf(word).length));
  }

  function alternative(surface) {
    var rest;
    if (surface.length >= 3 && WAW_FEH.indexOf(surface[0]) >= 0 && PROCLITICS.indexOf(surface[1]) >= 0) {
      rest = surface.slice(2);
    } else if (prefixOf(surface) === "\u0648") {
      return suffixes(surface);
    } else if (surface.length && PROCLITICS.indexOf(surface[0]) >= 0) {
      rest = surface.slice(1);
    } else {
      return null;
    }
    return rest.length < 3 ? null : stem(rest);
  }

  // [start, end, token] of each word of an already normalised text. Offsets
  // are UTF-16 indexes (Python's are code points: equal for Arabic text).
  function tokens(text) {
    var out = [];
    TOKEN.lastIndex = 0;
    var m;
    while ((m = TOKEN.exec(text)) !== null) {
      if ([...m[0]].length <= MAX_TOKEN) out.push([m.index, m.index + m[0].length, m[0]]);
    }
    return out;
  }

  // {surface, stem, alt} of a token of searchNormalize's text, or null for a stop word.
  function analyzeToken(token) {
    if (STOP_WORDS.has(token)) return null;
    var surface = foldHamza(token.replace(YA_RE, "\u064a"));
    if (!surface) return null;
    return { surface: surface, stem: stem(surface), alt: alternative(surface) };
  }

  function termsOf(word) {
    return word.alt === null || word.alt === word.stem ? [word.stem] : [word.stem, word.alt];
  }

  function analyze(text, firstPosition) {
    var position = firstPosition || 0;
    var words = [];
    var list = tokens(searchNormalize(text));
    for (var i = 0; i < list.length; i++) {
      var a = analyzeToken(list[i][2]);
      if (a === null) continue;
      words.push({ position: position, start: list[i][0], end: list[i][1],
        surface: a.surface, stem: a.stem, alt: a.alt, terms: termsOf(a) });
      position += 1;
    }
    return words;
  }

  var api = { normalize: normalize, searchNormalize: searchNormalize, foldHamza: foldHamza, stem: stem, alternative: alternative,
    tokens: tokens, analyzeToken: analyzeToken, analyze: analyze, termsOf: termsOf,
    STOP_WORDS: STOP_WORDS, MAX_TOKEN: MAX_TOKEN };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.ArSearchAnalyzer = api;
})(this);
