"""How much data a scale gives (scale 1.0: a 50k-subscriber ISP)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

FULL = {
    "branches": 25,
    "technicians": 500,
    "serials": 200_000,
    "installed": 150_000,
}
# products per item class at scale 1.0 (about 300), and vendors
PRODUCTS = {"cpe": 40, "network": 40, "tool": 40, "spare": 60, "consumable": 120}
VENDORS = 12
MONTHS = 24
# share of the serials per item class
SERIAL_SHARE = {"cpe": 0.90, "network": 0.03, "tool": 0.03, "spare": 0.04}


@dataclass
class Plan:
    scale: float
    seed: int
    end: date

    def _n(self, full, minimum):
        return max(minimum, round(full * self.scale))

    @property
    def branches(self):
        return self._n(FULL["branches"], 2)

    @property
    def regions(self):
        return max(1, min(5, round(self.branches / 5)))

    @property
    def technicians(self):
        return self._n(FULL["technicians"], 4)

    @property
    def serials(self):
        return self._n(FULL["serials"], 200)

    @property
    def installed(self):
        return self._n(FULL["installed"], 150) // 2 * 2

    def products(self, item_class):
        # the catalogue does not shrink linearly: a small ISP still has ONT models
        return max(4, round(PRODUCTS[item_class] * min(1.0, self.scale**0.5)))

    @property
    def vendors(self):
        return max(3, round(VENDORS * min(1.0, self.scale**0.5)))

    # the CPE stories (see history.py): installs of an ONT and a router per customer,
    # repairs that swap a faulty unit, disconnections that take both back
    @property
    def disconnections(self):
        return round(self.installed * 0.02)

    @property
    def repairs(self):
        return round(self.installed * 0.03)

    @property
    def install_jobs(self):
        return self.installed // 2 + self.disconnections

    @property
    def customers(self):
        return self.install_jobs

    @property
    def start(self):
        return datetime.combine(self.end, datetime.min.time()) - timedelta(days=MONTHS * 365 // 12)

    @property
    def stop(self):
        """History ends the evening before the end date."""
        return datetime.combine(self.end, datetime.min.time()) - timedelta(hours=4)

    def params(self):
        return f"scale={self.scale:g} seed={self.seed} end={self.end.isoformat()}"
