package checkin_test

test_anything if true
