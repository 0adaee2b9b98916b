/* Links two models compiled from the same ONNX file under different --name prefixes into one
 * program: their symbols must not clash, and each reports its own name. */
#include <stdio.h>
#include <string.h>

#include "first.h"
#include "second.h"

int main(void) {
  const mcc_model_info *a = first_info(), *b = second_info();
  printf("%s %s %d %d\n", a->name, b->name, a->num_inputs, b->num_inputs);
  return strcmp(a->name, "first") != 0 || strcmp(b->name, "second") != 0 || strcmp(a->model_hash, b->model_hash) != 0;
}
