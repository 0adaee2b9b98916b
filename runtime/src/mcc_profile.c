/* libmcc_rt: the clock instrumented objects call (mcc --profile) and the reports made of their records:
 * a Chrome trace and a summary of the top nodes. No allocation. */
#if defined(__unix__) || defined(__APPLE__)
#define _POSIX_C_SOURCE 200809L
#include <time.h>
#define MCC_HAVE_CLOCK_GETTIME 1
#else
#include <time.h>
#endif
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mcc/mcc_rt.h"

int64_t mcc_profile_now_ns(void) {
#ifdef MCC_HAVE_CLOCK_GETTIME
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + (int64_t)ts.tv_nsec;
#else
  return (int64_t)((double)clock() * (1e9 / CLOCKS_PER_SEC));
#endif
}

/* A JSON string literal of s. */
static void write_json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; s && *s; ++s) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c < 0x20)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

int mcc_profile_write_trace(const mcc_profile_info *info, const int64_t *records, int runs, const char *path) {
  FILE *f;
  int r, i, first = 1, failed;
  int64_t origin;
  if (!info || !path || runs < 0 || (runs > 0 && info->num_nodes > 0 && !records)) {
    errno = EINVAL;
    return -1;
  }
  f = fopen(path, "w");
  if (!f)
    return -1;
  origin = runs > 0 && info->num_nodes > 0 ? records[0] : 0;
  fputs("{\"displayTimeUnit\": \"ms\", \"traceEvents\": [\n", f);
  for (r = 0; r < runs; ++r) {
    const int64_t *rec = records + (size_t)r * 2 * (size_t)info->num_nodes;
    if (info->num_nodes > 0) {
      int64_t begin = rec[0], end = rec[2 * info->num_nodes - 1];
      fprintf(f,
              "%s{\"name\": \"run\", \"cat\": \"run\", \"ph\": \"X\", \"pid\": 1, \"tid\": 1, \"ts\": %.3f, "
              "\"dur\": %.3f, \"args\": {\"run\": %d}}",
              first ? "" : ",\n", (double)(begin - origin) / 1e3, (double)(end - begin) / 1e3, r);
      first = 0;
    }
    for (i = 0; i < info->num_nodes; ++i) {
      const mcc_profile_node *n = &info->nodes[i];
      int64_t ns = rec[2 * i + 1] - rec[2 * i];
      fputs(",\n{\"name\": ", f);
      write_json_string(f, n->name);
      fprintf(f, ", \"cat\": \"node\", \"ph\": \"X\", \"pid\": 1, \"tid\": 1, \"ts\": %.3f, \"dur\": %.3f, ",
              (double)(rec[2 * i] - origin) / 1e3, (double)ns / 1e3);
      fputs("\"args\": {\"op_name\": ", f);
      write_json_string(f, n->op);
      fputs(", \"shapes\": ", f);
      write_json_string(f, n->shapes);
      fprintf(f, ", \"flops\": %.0f, \"gflops_per_s\": %.3f, \"node_index\": %d, \"run\": %d}}", n->flops,
              ns > 0 ? n->flops / (double)ns : 0.0, i, r);
    }
  }
  fputs("\n]}\n", f);
  failed = ferror(f);
  if (fclose(f) != 0 || failed) {
    if (!errno)
      errno = EIO;
    return -1;
  }
  return 0;
}

/* Mean nanoseconds of node i over the runs. */
static double mean_ns(const int64_t *records, int nodes, int runs, int i) {
  double sum = 0;
  int r;
  for (r = 0; r < runs; ++r)
    sum +=
        (double)(records[(size_t)r * 2 * (size_t)nodes + 2 * i + 1] - records[(size_t)r * 2 * (size_t)nodes + 2 * i]);
  return runs > 0 ? sum / runs : 0;
}

void mcc_profile_print_summary(const mcc_profile_info *info, const int64_t *records, int runs, int top, void *out) {
  FILE *f = (FILE *)out;
  double span = 0, covered = 0;
  int r, i, k, n, shown;
  /* Up to this many distinct op types are summed; the rest are counted under the last row. */
  enum { kMaxOps = 64 };
  const char *opName[kMaxOps];
  double opNs[kMaxOps], opFlops[kMaxOps];
  int opCount[kMaxOps], numOps = 0;
  if (!info || !f || runs <= 0 || info->num_nodes <= 0 || !records)
    return;
  n = info->num_nodes;
  for (r = 0; r < runs; ++r) {
    const int64_t *rec = records + (size_t)r * 2 * (size_t)n;
    span += (double)(rec[2 * n - 1] - rec[0]);
  }
  span /= runs;
  for (i = 0; i < n; ++i)
    covered += mean_ns(records, n, runs, i);
  fprintf(f, "profile: %d nodes, %.4f ms per run (mean of %d), %.1f%% of it inside nodes\n", n, span / 1e6, runs,
          span > 0 ? 100.0 * covered / span : 0.0);
  fprintf(f, "%5s %10s %7s %9s  %-24s %s\n", "rank", "ms", "share", "GFLOP/s", "op", "node");
  /* Top nodes by time: selection without sorting a copy (no allocation); ties keep node order. */
  shown = top < n ? top : n;
  {
    double last = -1;
    int lastIndex = -1;
    for (k = 0; k < shown; ++k) {
      int best = -1;
      double bestNs = -1;
      for (i = 0; i < n; ++i) {
        double t = mean_ns(records, n, runs, i);
        /* Strictly after the previous pick in (time desc, index asc) order. */
        if (last >= 0 && (t > last || (t == last && i <= lastIndex)))
          continue;
        if (t > bestNs) {
          bestNs = t;
          best = i;
        }
      }
      if (best < 0)
        break;
      fprintf(f, "%5d %10.4f %6.2f%% %9.2f  %-24s %s\n", k + 1, bestNs / 1e6, span > 0 ? 100.0 * bestNs / span : 0.0,
              bestNs > 0 ? info->nodes[best].flops / bestNs : 0.0, info->nodes[best].op, info->nodes[best].name);
      last = bestNs;
      lastIndex = best;
    }
  }
  for (i = 0; i < n; ++i) {
    const char *op = info->nodes[i].op ? info->nodes[i].op : "?";
    for (k = 0; k < numOps && strcmp(opName[k], op) != 0; ++k)
      ;
    if (k == numOps) {
      if (numOps == kMaxOps)
        k = kMaxOps - 1;
      else {
        opName[k] = op;
        opNs[k] = opFlops[k] = 0;
        opCount[k] = 0;
        ++numOps;
      }
    }
    opNs[k] += mean_ns(records, n, runs, i);
    opFlops[k] += info->nodes[i].flops;
    ++opCount[k];
  }
  fprintf(f, "by op type:\n%5s %10s %7s %9s  %s\n", "nodes", "ms", "share", "GFLOP/s", "op");
  for (k = 0; k < numOps; ++k) {
    int best = k, j;
    for (j = k + 1; j < numOps; ++j)
      if (opNs[j] > opNs[best])
        best = j;
    if (best != k) {
      const char *tn = opName[k];
      double tt = opNs[k], tf = opFlops[k];
      int tc = opCount[k];
      opName[k] = opName[best], opNs[k] = opNs[best], opFlops[k] = opFlops[best], opCount[k] = opCount[best];
      opName[best] = tn, opNs[best] = tt, opFlops[best] = tf, opCount[best] = tc;
    }
    fprintf(f, "%5d %10.4f %6.2f%% %9.2f  %s\n", opCount[k], opNs[k] / 1e6, span > 0 ? 100.0 * opNs[k] / span : 0.0,
            opNs[k] > 0 ? opFlops[k] / opNs[k] : 0.0, opName[k]);
  }
}
