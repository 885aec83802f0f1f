"""The testimony page's codes, apart as a reviewer must read them: the testimony's current coding,
the blind codings still in progress, and the codes double coding superseded, each group by coder.

Only the current codes are the testimony's coding (what the statement marks, what "Codes n" counts,
what search and exports read). A coder coding the testimony blind sees only their own blind codes
(double_coding.visible_codes), and those are their current coding while they work.
"""
from dataclasses import dataclass, field


@dataclass
class CodeGroups:
    current: list = field(default_factory=list)
    blind: dict = field(default_factory=dict)       # coder -> their blind codes, in coding order
    superseded: dict = field(default_factory=dict)  # coder -> their superseded codes

    @property
    def superseded_count(self):
        return sum(len(codes) for codes in self.superseded.values())

    def blind_counts(self):
        """[(coder, how many codes)] for 'Blind coding in progress: coder 3, coder2 2'."""
        return [(coder, len(codes)) for coder, codes in self.blind.items()]


def split(codes, coding_blind=None):
    """Group the codes a user sees (in page order). `coding_blind`: the name of the user when they
    are coding the testimony blind (their blind codes are then their current coding)."""
    groups = CodeGroups()
    for code in codes:
        if code["stage"] == "coded" or (code["stage"] == "blind" and code["coder"] == coding_blind):
            groups.current.append(code)
        elif code["stage"] == "blind":
            groups.blind.setdefault(code["coder"], []).append(code)
        else:
            groups.superseded.setdefault(code["coder"], []).append(code)
    groups.blind, groups.superseded = _by_name(groups.blind), _by_name(groups.superseded)
    return groups


def _by_name(by_coder):
    """Coders in the order of their names, whatever passage each coded first."""
    return {coder: by_coder[coder] for coder in sorted(by_coder, key=lambda name: (name or "").casefold())}
