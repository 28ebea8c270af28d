# Turns one data file into a C source defining `const char SYMBOL[]` (NUL-terminated)
# and `const unsigned long SYMBOL_len`. Called by sertibot_embed() in CMakeLists.txt.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUT}" "/* generated from ${IN}; do not edit */\n"
  "const char ${SYMBOL}[] = {${bytes} 0x00};\n"
  "const unsigned long ${SYMBOL}_len = sizeof ${SYMBOL} - 1;\n")
