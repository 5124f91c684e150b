from . import test_item_class
from . import test_security_groups
from . import test_serial_service
from . import test_technician
from . import test_approval
from . import test_kit
from . import test_replenishment
from . import test_stock_security
