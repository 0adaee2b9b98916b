// Classifies the first held-out digit with the compiled model, from C++: the generated header is
// plain C with extern "C" guards, the workspace is the caller's.
#include "digits.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <vector>

int main(int argc, char **argv) {
  std::string dir = argc > 1 ? argv[1] : ".";
  std::vector<float> image(DIGITS_INPUT_INPUT_SIZE);
  std::ifstream images(dir + "/test_images.f32", std::ios::binary);
  std::ifstream labels(dir + "/test_labels.u8", std::ios::binary);
  unsigned char label = 0;
  if (!images.read(reinterpret_cast<char *>(image.data()), image.size() * sizeof(float)) ||
      !labels.read(reinterpret_cast<char *>(&label), 1)) {
    std::fprintf(stderr, "classify: cannot read the digits in %s\n", dir.c_str());
    return 2;
  }
  size_t size = (DIGITS_WORKSPACE_SIZE + 63) / 64 * 64 + 64;
  std::unique_ptr<void, decltype(&std::free)> workspace(std::aligned_alloc(64, size), &std::free);
  float logits[DIGITS_OUTPUT_LOGITS_SIZE];
  digits_inputs in = {image.data()};
  digits_outputs out = {logits};
  if (int status = digits_run(&in, &out, workspace.get())) {
    std::fprintf(stderr, "classify: %s\n", mcc_strerror(status));
    return 1;
  }
  int predicted = int(std::max_element(logits, logits + 10) - logits);
  std::printf("model %s (mcc %s): predicted %d, label %d\n", digits_info()->name, digits_info()->mcc_version, predicted,
              label);
  return predicted == label ? 0 : 1;
}
