from . import test_module_chain
from . import test_stock_region_report
from . import test_stock_aging_report
from . import test_technician_consumption_report
from . import test_loss_variance_report
from . import test_product_movement_report
from . import test_installation_cost_report
