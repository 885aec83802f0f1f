"""What the API's writing operations share in the OpenAPI document: the words for the refusals every
one of them documents, request bodies by component name, and the `links` between operations (POST a
testimony -> GET it -> POST a code on it -> PATCH or DELETE that code; a case file -> its testimonies;
an export -> its job -> its file), which clients and schemathesis's stateful tests follow.

flask-smorest documents responses but not their links, so `add_links` writes them into the spec once
every blueprint is registered (create_app), with an operationId for every operation to name them by.
"""
NOT_LOGGED_IN = "Not logged in and no valid API token."
READ_ONLY = "the request's API token is read-only (writing needs a read-write token: docs/api.md, scopes)."

_CODE = {"reference": "$request.path.reference", "code_id": "$response.body#/id"}
# (method, path, status) -> {link name: (method, path, {parameter: runtime expression})}
LINKS = {
    ("post", "/api/testimonies", "201"): {
        "ReadTestimony": ("get", "/api/testimonies/{reference}", {"reference": "$response.body#/reference"}),
        "AddCode": ("post", "/api/testimonies/{reference}/codes", {"reference": "$response.body#/reference"}),
    },
    ("post", "/api/testimonies/{reference}/codes", "201"): {
        "ReadTestimony": ("get", "/api/testimonies/{reference}", {"reference": "$request.path.reference"}),
        "EditCode": ("patch", "/api/testimonies/{reference}/codes/{code_id}", _CODE),
        "RemoveCode": ("delete", "/api/testimonies/{reference}/codes/{code_id}", _CODE),
    },
    ("post", "/api/case-files", "201"): {
        "AddTestimonies": ("post", "/api/case-files/{case_id}/testimonies", {"case_id": "$response.body#/id"}),
        "RemoveTestimony": ("delete", "/api/case-files/{case_id}/testimonies/{reference}",
                            {"case_id": "$response.body#/id"}),
        "Export": ("post", "/api/exports", {}),
    },
    ("post", "/api/exports", "202"): {
        "ReadJob": ("get", "/api/exports/{job_id}", {"job_id": "$response.body#/id"}),
    },
    ("get", "/api/exports/{job_id}", "200"): {
        "DownloadFile": ("get", "/api/exports/{job_id}/file", {"job_id": "$response.body#/id"}),
    },
}


def body_of(name, array=False):
    """A required JSON request body: the component schema `name` (published in create_app), or an array of
    at least one (an import of nothing is refused: "the file has no records")."""
    schema = {"$ref": f"#/components/schemas/{name}"}
    return {"required": True, "content": {"application/json": {
        "schema": {"type": "array", "minItems": 1, "items": schema} if array else schema}}}


def operation_id(method, path):
    """'post_api_testimonies_reference_codes' for POST /api/testimonies/{reference}/codes."""
    words = path.strip("/").replace("{", "").replace("}", "").replace("-", "_").split("/")
    return "_".join([method, *words])


def add_links(spec):
    """Name every operation, say which token scope it needs (`x-token-scope`: OpenAPI 3.0 gives a bearer
    scheme no scopes of its own; the rule is archive/security/auth.py's, by method), and add LINKS to the
    responses they start from. (apispec keeps the registered paths in `_paths`; flask-smorest has
    written them there by now.)"""
    paths = spec._paths
    for path, operations in paths.items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and method in ("get", "post", "put", "patch", "delete"):
                operation.setdefault("operationId", operation_id(method, path))
                operation["x-token-scope"] = "read" if method == "get" else "write"
    for (method, path, status), links in LINKS.items():
        response = paths[path][method]["responses"][status]
        response["links"] = {name: {"operationId": operation_id(to_method, to_path), "parameters": parameters}
                             for name, (to_method, to_path, parameters) in links.items()}
