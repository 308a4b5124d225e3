# SPDX-License-Identifier: MIT
# (c) Mean page-walk cost per epoch: walk.cycles / walk.count, summed over CPUs; walks per
# epoch on the right axis.
# In: datafile with columns time, cycles per walk, walks; plot_title, xunit.

set title plot_title
set xlabel sprintf('simulated time (%s)', xunit)
set ylabel 'cycles per page walk'
set y2label 'page walks per epoch'
set yrange [0:*]
set y2range [0:*]
set ytics nomirror
set y2tics
set key outside right top
plot datafile using 1:2 with linespoints lc 1 title 'cycles per walk', \
     datafile using 1:3 axes x1y2 with lines dt 2 lw 1 lc 7 title 'walks'
