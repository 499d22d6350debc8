# Completes the served folder: copies the shell from assets/ beside dashboard.{js,wasm} and writes
# a .gz (gzip -9) and .br (brotli -q 11) beside every file, so the backend can serve them
# precompressed. Run with cmake -P: -DDIST=<dist> -DASSETS=<assets> -DGZIP=<gzip> -DBROTLI=<brotli>
set(assets index.html shell.css shell.js favicon.svg)
foreach(f IN LISTS assets)
  file(COPY_FILE "${ASSETS}/${f}" "${DIST}/${f}" ONLY_IF_DIFFERENT)
endforeach()

foreach(f IN LISTS assets ITEMS dashboard.js dashboard.wasm)
  set(src "${DIST}/${f}")
  # -n: no name or time stamp inside, so an unchanged file gives identical bytes.
  if(NOT EXISTS "${src}.gz" OR "${src}" IS_NEWER_THAN "${src}.gz")
    execute_process(COMMAND "${GZIP}" -9 -n -c "${src}" OUTPUT_FILE "${src}.gz" COMMAND_ERROR_IS_FATAL ANY)
  endif()
  if(NOT EXISTS "${src}.br" OR "${src}" IS_NEWER_THAN "${src}.br")
    execute_process(COMMAND "${BROTLI}" -q 11 -f -o "${src}.br" "${src}" COMMAND_ERROR_IS_FATAL ANY)
  endif()
endforeach()
file(TOUCH "${DIST}/.packed")
