"""Ingest: raw articles from scrapers and exports in, cleaned source files out.

read (html, json, trec, text) → candidates → duplicates → source files → report
"""
