package checkin

test_anything if true
