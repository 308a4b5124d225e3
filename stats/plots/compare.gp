# SPDX-License-Identifier: MIT
# (e) Runs side by side. Top row: one bar per run for each summary value; bottom row: the
# runs' time series overlaid. Colour k is run k in every panel.
# In: barsfile (columns: run label, then one value per bar panel), bar_col[i], bar_name[i],
# n_bars; run_file[k], run_label[k], n_runs; line_col[i], line_name[i], n_lines; n_cols
# (panels per row); plot_title, xunit.

set multiplot layout 2, n_cols title plot_title font ',14'

set style fill solid 0.8 border -1
set boxwidth 0.6
set xrange [-0.6:n_runs - 0.4]
set yrange [0:*]
set offsets 0, 0, graph 0.12, 0
set xtics rotate by -25 noenhanced
set key off
do for [i=1:n_bars] {
    set title bar_name[i]
    plot barsfile using 0:(column(bar_col[i])):($0 + 1):xtic(1) with boxes lc variable, \
         barsfile using 0:(column(bar_col[i])):(sprintf('%.4g', column(bar_col[i]))) \
             with labels offset 0, 0.7 font ',9'
}
do for [i=n_bars + 1:n_cols] {
    set multiplot next
}

unset offsets
set autoscale xfix
set xtics norotate
set xlabel sprintf('simulated time (%s)', xunit)
set key top left font ',9'
do for [i=1:n_lines] {
    set title line_name[i]
    plot for [k=1:n_runs] run_file[k] using 1:(column(line_col[i])) with lines lc k \
         title run_label[k]
}
unset multiplot
