# mcc_add_model(TARGET <name> MODEL <model.onnx> [OPTIONS <mcc options>...])
#
# Compiles MODEL with mcc at build time into <name>.o and <name>.h (symbol prefix <name>) and makes
# <name> a static library target: link it and include "<name>.h".
#
# MCC_EXECUTABLE names the compiler (set by find_package(mcc) or the mcc build itself); MCC_RUNTIME_TARGET
# the runtime library target (mcc::mcc_rt, or mcc_rt in-tree).
function(mcc_add_model)
  cmake_parse_arguments(ARG "" "TARGET;MODEL" "OPTIONS" ${ARGN})
  if(NOT ARG_TARGET OR NOT ARG_MODEL)
    message(FATAL_ERROR "mcc_add_model: TARGET and MODEL are required")
  endif()
  get_filename_component(model "${ARG_MODEL}" ABSOLUTE)
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${ARG_TARGET}_mcc")
  set(obj "${dir}/${ARG_TARGET}.o")
  set(hdr "${dir}/${ARG_TARGET}.h")
  add_custom_command(
    OUTPUT "${obj}" "${hdr}"
    COMMAND ${CMAKE_COMMAND} -E make_directory "${dir}"
    COMMAND ${MCC_EXECUTABLE} "${model}" -o "${obj}" --name ${ARG_TARGET} ${ARG_OPTIONS}
    DEPENDS "${model}" ${MCC_EXECUTABLE}
    COMMENT "mcc: compiling ${ARG_MODEL}"
    VERBATIM)
  set_source_files_properties("${obj}" PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  add_library(${ARG_TARGET} STATIC "${obj}" "${hdr}")
  set_target_properties(${ARG_TARGET} PROPERTIES LINKER_LANGUAGE C)
  target_include_directories(${ARG_TARGET} INTERFACE "${dir}")
  target_link_libraries(${ARG_TARGET} INTERFACE ${MCC_RUNTIME_TARGET} m)
endfunction()
