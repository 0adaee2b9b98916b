/* Runs an object compiled with `mcc --profile` twice and writes its per-node times as a Chrome trace
 * with libmcc_rt (test/e2e/profile.py). usage: prof TRACE.json */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prof.h"

int main(int argc, char **argv) {
  static float x[PROF_INPUT_X_SIZE], y[PROF_INPUT_Y_SIZE], out[PROF_OUTPUT_OUT_SIZE];
  int64_t records[2][2 * PROF_PROFILE_NODES];
  prof_inputs in = {x, y};
  prof_outputs o = {out};
  const mcc_profile_info *info = prof_profile();
  void *ws = NULL;
  int r, i;
  if (argc != 2 || posix_memalign(&ws, MCC_WORKSPACE_ALIGNMENT, PROF_WORKSPACE_SIZE) != 0)
    return 2;
  for (i = 0; i < PROF_INPUT_X_SIZE; ++i)
    x[i] = (float)(i % 7) * 0.125f;
  for (i = 0; i < PROF_INPUT_Y_SIZE; ++i)
    y[i] = 1.0f;
  if (info->num_nodes != PROF_PROFILE_NODES || info->records_offset != PROF_PROFILE_OFFSET)
    return 3;
  for (r = 0; r < 2; ++r) {
    if (prof_run(&in, &o, ws) != MCC_OK)
      return 4;
    memcpy(records[r], (const char *)ws + PROF_PROFILE_OFFSET, sizeof records[r]);
  }
  if (mcc_profile_write_trace(info, &records[0][0], 2, argv[1]) != 0) {
    perror("mcc_profile_write_trace");
    return 5;
  }
  mcc_profile_print_summary(info, &records[0][0], 2, 100, stdout);
  free(ws);
  return 0;
}
