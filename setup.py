"""The one thing setup.cfg cannot say: templates/ stays at the top of the checkout (Flask's habit, and
the project's layout), and the wheel carries it inside the archive package, as archive/templates,
where archive.TEMPLATES finds it once installed."""
from setuptools import find_namespace_packages, setup

setup(
    packages=find_namespace_packages(include=["archive", "archive.*", "schemas", "schemas.*", "search_index",
                                              "search_index.*"]) + ["archive.templates"],
    package_dir={"archive.templates": "templates"},
    # The interface's catalogues travel as .po; the server compiles them when it starts (archive/i18n.py).
    package_data={"archive": ["data/*", "static/*", "translations/*/LC_MESSAGES/messages.po"],
                  "archive.templates": ["**/*.html", "**/*.css"]},
)
