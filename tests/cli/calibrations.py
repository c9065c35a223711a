"""A calibration experiment small enough for a test (ten particles, one generation)."""

#: One parameter, one target, ABC in a second or two.
TINY = """kind = "calibration"
name = "tiny"
scenario = "historical"
seed = 5
replicates = 2
report_replicates = 2
years = [1992, 2012]
[abc]
particles = 10
generations = 1
[[targets]]
series = "dist_rus_usa_all"
observer = "RUS"
target = "USA"
[[parameters]]
name = "memory"
low = 0.0
high = 0.5
"""

#: The same with a second parameter.
TINY_TWO = TINY + '[[parameters]]\nname = "hostile_weight"\nlow = 0.1\nhigh = 1.5\n'
