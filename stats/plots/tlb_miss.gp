# SPDX-License-Identifier: MIT
# (b) TLB miss rates per epoch: misses / (hits + misses), summed over CPUs.
# In: datafile with columns time, then one miss rate (%) per series; series_col[i] is the
# column of series i, series_name[i] its legend; n_series, plot_title, xunit.

set title plot_title
set xlabel sprintf('simulated time (%s)', xunit)
set ylabel 'miss rate (% of lookups)'
set yrange [0:*]
set key outside right top
plot for [i=1:n_series] datafile using 1:(column(series_col[i])) with linespoints \
     lc i title series_name[i]
