"""Arabic search that works online, from ``file://`` and at 100k articles.

Parts (one job each):

* ``analyzer``: text → index terms (normalise, tokenize, stop words, hamza
  seats, light10 stem, alternative stem). ``docs/assets/search/analyzer.js``
  is its browser twin; ``tests/fixtures/search/vectors.json`` binds the two.
* ``codec``: the compact encodings (FNV-1a shard hash, varints, score levels,
  document sets as gaps or bitmaps), mirrored by ``engine.js``.
* ``index``: ``search_record(article)`` → a compact, picklable per-article
  ``SearchRecord`` (cacheable between builds), and
  ``build_search_files(articles, records=...)`` → the files under ``search/``
  (``iter_search_files``: the same files as they are ready, to write and drop).

Decisions, and why:

* Everything is a ``<script>`` calling ``__arSearchData(...)``: no fetch, XHR,
  modules or workers, so the same files search over HTTP and from ``file://``.
* Sharded by the hash of the term: a query loads ``search/manifest.js``, the
  shards of its terms (stem and alternative of each word), and the display
  data of the 10 results it shows (4 documents a file). Frequent terms keep
  scores for their 1,000 best documents only, plus the set of all documents,
  which bounds the bytes per query at any archive size.
* Ranking: documents matching more query words first (so all words before
  some), then BM25 (title words count 4×, tag words 3×), a word found in the
  spelling typed (after normalisation) counts double, a match only through the
  alternative stem counts 0.8×; newer first on ties.
* Phrases: positions are loaded only for ``"phrase"`` queries. A frequent
  term's positions are cut into pieces of about 2 KB in document order, and a
  query loads the pieces of its candidates only: all of them when they are
  few (an exact count), else in rank order a page at a time, until ten
  results are confirmed (the count then shows ``N+``). Bounded bytes at any
  archive size, and the results shown are exactly the best-ranked matches.
* Stop words are matched before ``ى → ي``: ``على`` is one, the name ``علي``
  is not (see ``analyzer``).
* Query syntax (parsed in ``engine.js``): words; ``"phrase"`` or ``«phrase»``;
  filters ``وسم:`` / ``tag:``, ``سنة:`` / ``year:`` (``2018`` or ``2016-2018``),
  ``مصدر:`` / ``source:``; values with spaces in quotes or with ``_``.
  ``?q=`` on any page opens the search with that query.
* Result links: ``articles/<slug>/`` or ``articles/<slug>.html``; the search
  box template says which (``use_directory_urls``) and the base comes from
  Material's ``__config``, so any page at any depth links right.
* Material's search plugin stays off; ``overrides/partials/search.html`` keeps
  its markup and classes, and ``ui.js`` does what Material's bundle did.
"""

from builder.search.index import RECORD_VERSION, SearchRecord, build_search_files, iter_search_files, search_record

__all__ = ["RECORD_VERSION", "SearchRecord", "build_search_files", "iter_search_files", "search_record"]
