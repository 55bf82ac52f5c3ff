"""Bengali dates with a time. Django's Bengali formats have none of their own, so a
date and time fell back to the American month first ("11/13/2025 3:50 p.m."); these
follow its dates, day first, with its time: "13 নভে., 2025 3:50 অপরাহ্ন" (digits
made Bengali when shown)."""

DATETIME_FORMAT = "j F, Y g:i A"
SHORT_DATETIME_FORMAT = "j M, Y g:i A"
