"""``/docs``: interactive API documentation that works offline.

Swagger UI's files come from the ``flask-swagger-ui`` wheel (it vendors Swagger UI 5, which
reads OpenAPI 3.1) and are served by this app under ``/docs/assets/``: no CDN.  When that
package is not installed, ``/docs`` serves a small self-contained page that lists the
operations and schemas from ``/openapi.json`` and can send requests.
"""

from __future__ import annotations

import os

from flask import Blueprint, Response, abort, redirect, send_from_directory, url_for

bp = Blueprint("docs", __name__)

_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'")


def swagger_dist() -> str | None:
    try:
        import flask_swagger_ui
    except ImportError:
        return None
    path = os.path.join(os.path.dirname(flask_swagger_ui.__file__), "dist")
    return path if os.path.isfile(os.path.join(path, "swagger-ui-bundle.js")) else None


_SWAGGER_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Healthgeo API</title>
<link rel="stylesheet" href="{assets}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script>
window.onload = function () {{
  window.ui = SwaggerUIBundle({{url: "{spec}", dom_id: "#swagger-ui", deepLinking: true,
    validatorUrl: null, tryItOutEnabled: false, persistAuthorization: false}});
}};
</script></body></html>
"""

_MINIMAL_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Healthgeo API</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em}
code,pre,textarea,input{font:13px ui-monospace,monospace}pre{background:#f5f5f5;padding:.6em;overflow:auto}
.op{border:1px solid #ddd;border-radius:6px;margin:1em 0;padding:.3em 1em}.m{font-weight:bold;text-transform:uppercase}
textarea{width:100%;height:6em}</style></head>
<body><h1>Healthgeo API</h1>
<p>OpenAPI document: <a href="{spec}">{spec}</a>. (Install <code>flask-swagger-ui</code> for Swagger UI.)</p>
<p><label>API key <input id="key" type="password" size="50"></label></p>
<div id="ops">Loading...</div>
<script>
function el(t, a, k) {{ var e = document.createElement(t); if (a) Object.assign(e, a);
  (k || []).forEach(function (c) {{ e.append(c); }}); return e; }}
fetch("{spec}").then(function (r) {{ return r.json(); }}).then(function (spec) {{
  var root = document.getElementById("ops"); root.textContent = "";
  Object.keys(spec.paths).forEach(function (path) {{
    Object.keys(spec.paths[path]).forEach(function (m) {{
      var op = spec.paths[path][m]; if (typeof op !== "object" || !op.responses) return;
      var box = el("div", {{className: "op"}});
      box.append(el("h3", {{}}, [el("span", {{className: "m", textContent: m}}), " " + path]));
      box.append(el("p", {{textContent: op.summary || op.description || ""}}));
      var url = el("input", {{value: path, size: 60}}), body = el("textarea"), out = el("pre");
      box.append(el("p", {{}}, ["URL ", url]));
      if (op.requestBody) box.append(el("p", {{}}, ["JSON body", body]));
      box.append(el("button", {{textContent: "Send", onclick: function () {{
        var h = {{"Content-Type": "application/json"}}, k = document.getElementById("key").value;
        if (k) h.Authorization = "Bearer " + k;
        fetch(url.value, {{method: m.toUpperCase(), headers: h, body: op.requestBody ? body.value : undefined}})
          .then(function (r) {{ return r.text().then(function (t) {{ out.textContent = r.status + "\\n" + t; }}); }});
      }}}}));
      box.append(out); root.append(box);
    }});
  }});
  root.append(el("h2", {{textContent: "Schemas"}}),
              el("pre", {{textContent: JSON.stringify((spec.components || {{}}).schemas, null, 2)}}));
}});
</script></body></html>
"""


def _html(text: str) -> Response:
    return Response(text, mimetype="text/html", headers={"Content-Security-Policy": _CSP,
                                                         "Cache-Control": "no-cache"})


@bp.route("/", methods=["GET"])
def home():
    """The front door: the API's documentation."""
    return redirect(url_for("docs.docs"), code=302)


@bp.route("/docs", methods=["GET"])
@bp.route("/docs/", methods=["GET"])
def docs():
    spec = url_for("api-docs.openapi_json")
    if swagger_dist():
        return _html(_SWAGGER_PAGE.format(assets=url_for("docs.assets", name="x")[:-2], spec=spec))
    return _html(_MINIMAL_PAGE.format(spec=spec))


@bp.route("/docs/assets/<path:name>", methods=["GET"])
def assets(name: str):
    dist = swagger_dist()
    if dist is None or name not in ("swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png",
                                    "favicon-16x16.png"):
        abort(404)
    return send_from_directory(dist, name, max_age=86400)
