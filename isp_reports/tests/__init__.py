from . import test_module_chain
from . import test_stock_region_report
