# cmake -DIN=<file.bc> -DOUT=<file.inc> -DNAME=<symbol> -P EmbedBitcode.cmake
# Writes the bytes of IN as a C array, so no tool beyond CMake is needed to embed the bitcode.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR bytes "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
# Line breaks every 32 bytes keep the generated file readable by editors and diff tools.
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){32})" "\\1\n" body "${body}")
file(WRITE "${OUT}.tmp" "// Generated from ${NAME}.bc by EmbedBitcode.cmake; do not edit.\n"
  "alignas(16) static const unsigned char ${NAME}[${bytes}] = {\n${body}\n};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
