"""The list of testimonies (the search pages come with the faceted search)."""
from flask import Blueprint, render_template, request

from archive import store
from archive.web import get_db

bp = Blueprint("testimonies", __name__)
PAGE_SIZE = 50


@bp.get("/")
def index():
    page = max(request.args.get("page", 1, type=int), 1)
    db = get_db()
    total = store.count_testimonies(db)
    testimonies = store.list_testimonies(db, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render_template("testimonies/list.html", testimonies=testimonies, total=total, page=page,
                           pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1))
