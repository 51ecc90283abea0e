/* Arabic number agreement by CLDR's six plural categories: the browser twin of
 * builder/plurals.py (which takes the rule from Babel). Both are checked
 * against one file of vectors (tests/fixtures/plurals/vectors.json).
 * Plain script: defines window.ArPlurals, or module.exports in node. */
(function (root) {
  "use strict";

  // CLDR's Arabic rule: 0 zero, 1 one, 2 two, n % 100 in 3..10 few,
  // n % 100 in 11..99 many, anything else (100, 101, 102, 1000…) other.
  function category(count) {
    var n = Math.abs(count); // CLDR's n is the absolute value
    if (n === 0) return "zero";
    if (n === 1) return "one";
    if (n === 2) return "two";
    if (Number.isInteger(n)) {
      var rest = n % 100;
      if (rest >= 3 && rest <= 10) return "few";
      if (rest >= 11 && rest <= 99) return "many";
    }
    return "other";
  }

  // zero, one and two stand without a numeral; the others follow it.
  function counted(n, noun, shown) {
    var which = category(n);
    if (which === "zero" || which === "one" || which === "two") return noun[which];
    return (shown === undefined ? String(n) : shown) + " " + noun[which];
  }

  // A search result is a document, as in Material's own strings («نتائج البحث # مستندات»),
  // whose Arabic form Material gets right only for 3–10.
  var DOCUMENT = {
    zero: "لا توجد نتائج",
    one: "مستند واحد",
    two: "مستندان",
    few: "مستندات",
    many: "مستندًا",
    other: "مستند",
  };

  var api = { category: category, counted: counted, DOCUMENT: DOCUMENT };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.ArPlurals = api;
})(this);
