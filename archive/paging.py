"""Keyset pages of a collection (schemas/paging.py says the cursor to clients): the items after a stable
key, never an offset, so that items added or removed while a client walks the collection move no other."""


def keyset_page(fetch, limit, after, key, keep=lambda row: True):
    """(the `limit` rows after `after` that `keep` lets through, the cursor after the last of them or None).

    `fetch(after, count)` gives up to `count` rows with a key above `after`, in key order (the store's keyset
    query); rows `keep` refuses (a testimony the reader may not open) are passed over, never counted."""
    shown, more = [], True
    while len(shown) <= limit and more:
        rows = fetch(after, limit + 1)
        more = len(rows) == limit + 1
        for row in rows:
            after = key(row)
            if keep(row):
                shown.append(row)
                if len(shown) > limit:
                    break
    if len(shown) > limit:
        return shown[:limit], key(shown[limit - 1])
    return shown, None
