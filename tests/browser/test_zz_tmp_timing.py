import time
from tests.browser.conftest import run_axe
def test_t(page, live_server):
    page.goto(live_server("/"))
    for i in range(3):
        t=time.perf_counter(); run_axe(page); print("axe", time.perf_counter()-t)
    t=time.perf_counter(); page.goto(live_server("/register")); print("goto", time.perf_counter()-t)
    from lms.accounts.passwords import hash_password
    t=time.perf_counter(); hash_password("x"*20); print("argon2", time.perf_counter()-t)
