"""Pull a search out of the archive through its JSON API (docs/api.md): every testimony it finds, each with
its codes and their passages, as JSON Lines, plus the search's statistics. Standard library only.

    API_TOKEN=ta_… python examples/pull_search.py https://archive.example.org "dogs" perpetrator=BY > dogs.jsonl

Run it again with `--since FILE` (the state file it writes beside) and it fetches again only what changed:
each testimony's codes are asked for with the ETag it had (If-None-Match), and a 304 means unchanged.
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

PER_PAGE = 100  # the API's largest page


def http_get(base, token):
    """get(path, etag=None) -> (status, etag, body or None), over HTTPS with the token."""
    def get(path, etag=None):
        request = urllib.request.Request(base.rstrip("/") + path, headers={
            "Authorization": f"Bearer {token}", "Accept": "application/json",
            **({"If-None-Match": etag} if etag else {})})
        try:
            with urllib.request.urlopen(request) as answer:
                return answer.status, answer.headers.get("ETag"), json.load(answer)
        except urllib.error.HTTPError as refused:
            if refused.code == 304:
                return 304, refused.headers.get("ETag") or etag, None
            raise SystemExit(f"{refused.code} on {path}: {refused.read().decode('utf-8', 'replace')}") from None
    return get


def pull(get, query, filters=(), tags=None):
    """Yield ('testimony', reference, hit, codes, etag) for every result, then ('statistics', counts).

    `filters`: (name, value) pairs (`perpetrator=BY`); `tags`: {reference: the ETag of its codes last time},
    so that an unchanged testimony's codes come back as a 304 (codes None: keep what you have)."""
    tags = tags or {}
    params = [("q", query), *filters]
    page = 1
    while True:
        status, _, found = get("/api/search?" + urllib.parse.urlencode(params + [("per_page", PER_PAGE),
                                                                                 ("page", page)]))
        for hit in found["results"]:
            path = "/api/testimonies/" + urllib.parse.quote(hit["reference"]) + "/codes"
            status, etag, codes = get(path, tags.get(hit["reference"]))
            yield "testimony", hit["reference"], hit, codes, etag
        if page * PER_PAGE >= found["total"] or page == 500:  # 500 pages is as far as a search goes
            break
        page += 1
    yield "statistics", get("/api/statistics?" + urllib.parse.urlencode(params))[2]


def main(argv):
    base, query, *filters = argv
    since = None
    if filters and filters[0] == "--since":
        since, filters = filters[1], filters[2:]
    tags = json.load(open(since, encoding="utf-8")) if since else {}
    get = http_get(base, os.environ["API_TOKEN"])
    for kind, *rest in pull(get, query, [tuple(f.split("=", 1)) for f in filters], tags):
        if kind == "statistics":
            print(json.dumps({"statistics": rest[0]}, ensure_ascii=False))
            continue
        reference, hit, codes, etag = rest
        tags[reference] = etag
        print(json.dumps({"reference": reference, "title": hit["title"], "unchanged": codes is None,
                          "codes": codes and codes["codes"]}, ensure_ascii=False))
    with open(since or "pull-search-tags.json", "w", encoding="utf-8") as state:
        json.dump(tags, state)


if __name__ == "__main__":
    main(sys.argv[1:])
