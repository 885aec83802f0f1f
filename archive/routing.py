"""URL rules whose builders are compiled once a process.

For each rule Werkzeug writes two small functions that build its URLs (`url_for`), as Python source
compiled at the time the rule is added: 45 ms of every app's 100 ms. They depend only on the rule,
never on the app, so a process that makes many apps (the test suite makes ~1,700) compiles each once.
"""
from werkzeug.routing import Rule


class CompiledOnceRule(Rule):
    _builders = {}  # what a builder's code depends on -> the function, bound to each rule that uses it

    def _compile_builder(self, append_unknown=True):
        key = (self.rule, self.host, self.subdomain, self.map.host_matching, self.merge_slashes,
               repr(sorted((self.defaults or {}).items())), tuple(self._trace), append_unknown)
        if key not in self._builders:
            self._builders[key] = super()._compile_builder(append_unknown)
        return self._builders[key]
