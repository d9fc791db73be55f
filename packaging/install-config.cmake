# Runs at install time (see CMakeLists.txt), with CMAKE_INSTALL_PREFIX the prefix being installed
# to and DESTDIR, when set, the staging root of a package build (file(INSTALL) prepends it itself).
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(etc "/etc")  # as GNUInstallDirs does: /usr/etc is not where anyone looks
else()
  set(etc "${CMAKE_INSTALL_PREFIX}/${LITELLM_SYSCONFDIR}")
endif()
set(LITELLM_CONFIG_PATH "${etc}/litellm/config.yaml")
set(LITELLM_DAEMON_PATH "${CMAKE_INSTALL_PREFIX}/${LITELLM_BINDIR}/litellmd")

# A config already there is the user's: an upgrade never overwrites it.
if(EXISTS "$ENV{DESTDIR}${LITELLM_CONFIG_PATH}")
  message(STATUS "Kept: $ENV{DESTDIR}${LITELLM_CONFIG_PATH}")
else()
  file(INSTALL "${LITELLM_SOURCE_DIR}/config.yaml" DESTINATION "${etc}/litellm")
endif()

configure_file("${LITELLM_SOURCE_DIR}/litellmd.service.in" "${LITELLM_BINARY_DIR}/litellmd.service"
               @ONLY)
file(INSTALL "${LITELLM_BINARY_DIR}/litellmd.service"
     DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
