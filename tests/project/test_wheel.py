"""The wheel is the archive: built from this checkout, installed into a fresh virtual environment
outside it, it renders a page (in English and, from its catalogues, in Polish) and writes a PDF
(templates, static files, translations and data inside)."""
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow

CHECK = textwrap.dedent("""
    import sys
    import archive
    assert "site-packages" in archive.__file__, archive.__file__   # not the checkout's copy
    from archive import create_app, service
    from archive.config import DataDir
    data = DataDir.at(sys.argv[1])
    service.init(data)
    service.import_file(data, service.DEMO_FILE, "demo")
    app = create_app({"DATA": str(data.root), "TESTING": True})
    page = app.test_client().get("/login")
    assert page.status_code == 200 and b"Log in" in page.data, page.status_code
    polish = app.test_client().get("/login", headers={"Accept-Language": "pl"})  # the catalogues came along
    assert "Nazwa użytkownika".encode() in polish.data and b'lang="pl"' in polish.data
    css = app.test_client().get("/static/archive.css")
    assert css.status_code == 200 and css.data.startswith(b":root"), css.status_code
    from archive.export import pdf
    import os
    out = os.path.join(sys.argv[1], "summary.pdf")
    import subprocess
    result = subprocess.run([sys.executable, "-m", "archive.cli", "--data", str(data.root), "user", "add", "l",
                             "--role", "lawyer", "--password-stdin"], input="a long enough password\\n", text=True)
    assert result.returncode == 0
    result = subprocess.run([sys.executable, "-m", "archive.cli", "--data", str(data.root), "export", "dogs",
                             "--format", "pdf", "--out", out, "--as", "l"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert open(out, "rb").read(5) == b"%PDF-"
    print("ok")
""")


def test_the_wheel_installs_outside_the_checkout_and_renders_a_page_and_a_pdf(tmp_path):
    root = __import__("pathlib").Path(__file__).resolve().parents[2]
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(wheels), str(root)], check=True, capture_output=True)
    [wheel] = wheels.glob("testimony_archive-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The dependencies from this environment (nothing downloaded), by a plain path: a .pth line adds the
    # directory without running the .pth files inside it, so the checkout's editable install stays out.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    here = next(p for p in sys.path if p.endswith("site-packages"))
    (__import__("pathlib").Path(site) / "dependencies.pth").write_text(here + "\n")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True,
                   capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run([str(python), "-c", CHECK, str(elsewhere / "archive-data")], cwd=elsewhere,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]
