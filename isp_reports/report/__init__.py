from . import isp_report_mixin
from . import isp_stock_region_report
from . import isp_stock_aging_report
from . import isp_technician_consumption_report
from . import isp_loss_variance_report
from . import isp_product_movement_report
from . import isp_installation_cost_report
from . import isp_refurbishment_report
