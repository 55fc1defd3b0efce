package checkin
