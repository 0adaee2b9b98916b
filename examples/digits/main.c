/* digits: run the mcc-compiled digits CNN on the held-out test set and check it against PyTorch.
 *
 *   mcc digits.onnx -o digits.o          (writes digits.o and digits.h)
 *   cc -I<prefix>/include main.c digits.o -lmcc_rt -lm -o digits
 *   ./digits [DATA_DIR]                  (DATA_DIR holds test_images.f32, test_labels.u8, torch_logits.f32;
 *                                         default ".")
 *
 * Exit status: 0 all samples match PyTorch, 1 a mismatch or a non-zero status from digits_run,
 * 2 a missing or malformed data file (or out of memory). Plain C99 plus aligned_alloc (C11, in every
 * libc that matters). */
#define _POSIX_C_SOURCE 200809L
#define _ISOC11_SOURCE

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digits.h"

#define IMAGE_SIZE 64  /* 1x1x8x8 */
#define NUM_CLASSES 10 /* 1x10 */
#define ATOL 1e-4
#define RTOL 1e-3

/* Reads the whole file DIR/NAME into a fresh buffer; its size must be a positive multiple of ELEM.
 * On any failure prints why and exits 2. */
static void *read_file(const char *dir, const char *name, size_t elem, size_t *count) {
  size_t len = strlen(dir) + 1 + strlen(name) + 1;
  char *path = malloc(len);
  if (!path) {
    fprintf(stderr, "digits: out of memory\n");
    exit(2);
  }
  snprintf(path, len, "%s/%s", dir, name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "digits: cannot open %s (run train.py, or pass the folder holding the data files)\n", path);
    exit(2);
  }
  size_t cap = 1 << 16, size = 0;
  unsigned char *buf = malloc(cap);
  for (;;) {
    if (!buf) {
      fprintf(stderr, "digits: out of memory reading %s\n", path);
      exit(2);
    }
    size += fread(buf + size, 1, cap - size, f);
    if (size < cap)
      break;
    cap *= 2;
    unsigned char *grown = realloc(buf, cap);
    if (!grown)
      free(buf);
    buf = grown;
  }
  if (ferror(f)) {
    fprintf(stderr, "digits: error reading %s\n", path);
    exit(2);
  }
  fclose(f);
  if (size == 0 || size % elem != 0) {
    fprintf(stderr, "digits: %s has %zu bytes, expected a positive multiple of %zu\n", path, size, elem);
    exit(2);
  }
  free(path);
  *count = size / elem;
  return buf;
}

static int argmax(const float *v, int n) {
  int best = 0;
  for (int i = 1; i < n; ++i)
    if (v[i] > v[best])
      best = i;
  return best;
}

static void print_shape(const mcc_tensor_info *t) {
  printf("%s [", t->name ? t->name : "?");
  for (int32_t d = 0; d < t->rank; ++d)
    printf(d ? ",%lld" : "%lld", (long long)t->shape[d]);
  printf("]");
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : ".";
  if (argc > 2) {
    fprintf(stderr, "usage: %s [DATA_DIR]\n", argv[0]);
    return 2;
  }

  const mcc_model_info *info = digits_info();
  printf("model: %s  hash: %s  mcc: %s  opset: %lld  workspace: %llu bytes  inputs: ", info->name, info->model_hash,
         info->mcc_version, (long long)info->opset, (unsigned long long)info->workspace_size);
  for (int32_t i = 0; i < info->num_inputs; ++i)
    print_shape(&info->inputs[i]);
  printf("  outputs: ");
  for (int32_t i = 0; i < info->num_outputs; ++i)
    print_shape(&info->outputs[i]);
  printf("\n");

  size_t n_images, n_labels, n_logits;
  float *images = read_file(dir, "test_images.f32", IMAGE_SIZE * sizeof(float), &n_images);
  uint8_t *labels = read_file(dir, "test_labels.u8", 1, &n_labels);
  float *torch_logits = read_file(dir, "torch_logits.f32", NUM_CLASSES * sizeof(float), &n_logits);
  if (n_labels != n_images || n_logits != n_images) {
    fprintf(stderr, "digits: data files disagree: %zu images, %zu labels, %zu logit rows (short file?)\n", n_images,
            n_labels, n_logits);
    return 2;
  }
  size_t n = n_images;

  /* aligned_alloc needs a size that is a non-zero multiple of the alignment. */
  size_t ws_size =
      ((size_t)DIGITS_WORKSPACE_SIZE + MCC_WORKSPACE_ALIGNMENT - 1) / MCC_WORKSPACE_ALIGNMENT * MCC_WORKSPACE_ALIGNMENT;
  if (ws_size == 0)
    ws_size = MCC_WORKSPACE_ALIGNMENT;
  void *workspace = aligned_alloc(MCC_WORKSPACE_ALIGNMENT, ws_size);
  if (!workspace) {
    fprintf(stderr, "digits: cannot allocate a %zu-byte workspace\n", ws_size);
    return 2;
  }

  size_t correct = 0, torch_correct = 0, bad = 0;
  double max_diff = 0.0;
  for (size_t s = 0; s < n; ++s) {
    float logits[NUM_CLASSES];
    digits_inputs in = {images + s * IMAGE_SIZE};
    digits_outputs out = {logits};
    int status = digits_run(&in, &out, workspace);
    if (status != 0) {
      fprintf(stderr, "digits: sample %zu: digits_run returned %d: %s\n", s, status, mcc_strerror(status));
      return 1;
    }
    const float *ref = torch_logits + s * NUM_CLASSES;
    int pred = argmax(logits, NUM_CLASSES), ref_pred = argmax(ref, NUM_CLASSES);
    correct += pred == labels[s];
    torch_correct += ref_pred == labels[s];
    int ok = pred == ref_pred, bad_class = -1;
    for (int c = 0; c < NUM_CLASSES; ++c) {
      double diff = fabs((double)logits[c] - (double)ref[c]);
      if (!(diff <= ATOL + RTOL * fabs((double)ref[c])) && bad_class < 0) /* also catches NaN */
        ok = 0, bad_class = c;
      if (diff > max_diff || diff != diff)
        max_diff = diff;
    }
    if (!ok && bad++ == 0) {
      fprintf(stderr, "digits: sample %zu (label %d) differs: mcc argmax %d, pytorch argmax %d", s, labels[s], pred,
              ref_pred);
      if (bad_class >= 0)
        fprintf(stderr, "; logit %d: mcc %.9g, pytorch %.9g", bad_class, logits[bad_class], ref[bad_class]);
      fprintf(stderr, "\n  mcc:    ");
      for (int c = 0; c < NUM_CLASSES; ++c)
        fprintf(stderr, " %.6g", logits[c]);
      fprintf(stderr, "\n  pytorch:");
      for (int c = 0; c < NUM_CLASSES; ++c)
        fprintf(stderr, " %.6g", ref[c]);
      fprintf(stderr, "\n");
    }
  }

  printf("accuracy: %zu/%zu = %.2f%%\n", correct, n, 100.0 * (double)correct / (double)n);
  printf("pytorch accuracy: %zu/%zu = %.2f%%\n", torch_correct, n, 100.0 * (double)torch_correct / (double)n);
  printf("max abs logit difference vs pytorch: %.3g (tolerance %g + %g*|pytorch|)\n", max_diff, ATOL, RTOL);

  free(workspace);
  free(images);
  free(labels);
  free(torch_logits);
  if (bad) {
    fprintf(stderr, "digits: FAIL: %zu of %zu samples differ from pytorch\n", bad, n);
    return 1;
  }
  printf("digits: OK: all %zu samples match pytorch\n", n);
  return 0;
}
