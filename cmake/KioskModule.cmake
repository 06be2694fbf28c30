# kiosk_module_includes(<target> <layer> <module>)
# Gives <target> the include root of one module, and nothing else of its layer: a directory in
# the build tree that holds a single symlink
#   <build>/module_roots/<layer>/<module>/<module>  ->  <source>/<layer>/<module>
# so "<module>/foo.hpp" resolves and "<other module>/bar.hpp" does not. The root is PUBLIC on
# libraries (PRIVATE on programs), so a target sees the headers of exactly the modules it links,
# directly or through PUBLIC links; a stray include fails to compile (tests/boundaries checks it).
# The module's own sources reach its private headers (store/store_impl.hpp) through the same root.
# The root belongs to the module folder, not the target: the targets built from one folder
# (kiosk/app: kiosk_services, kiosk_app, kiosk) share it, so a header has one path only.
function(kiosk_module_includes target layer module)
  set(source "${PROJECT_SOURCE_DIR}/${layer}/${module}")
  if(NOT IS_DIRECTORY "${source}")
    message(FATAL_ERROR "kiosk_module_includes(${target}): there is no module folder ${layer}/${module}")
  endif()
  set(root "${PROJECT_BINARY_DIR}/module_roots/${layer}/${module}")
  file(MAKE_DIRECTORY "${root}")
  file(CREATE_LINK "${source}" "${root}/${module}" SYMBOLIC)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "EXECUTABLE")
    target_include_directories(${target} PRIVATE "${root}")
  else()
    target_include_directories(${target} PUBLIC "${root}")
  endif()
endfunction()
