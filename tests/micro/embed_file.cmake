# cmake -DINPUT=file -DOUTPUT=file.c -DNAME=symbol -P embed_file.cmake
# Writes `const unsigned char NAME[]` and `const unsigned long NAME_size`.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){16})" "\\1\n  " bytes "${bytes}")
file(WRITE ${OUTPUT}
  "/* Generated from ${INPUT} by embed_file.cmake. */\n"
  "const unsigned char ${NAME}[${size}] = {\n  ${bytes}\n};\n"
  "const unsigned long ${NAME}_size = ${size};\n")
