# Tiaodu — the two commands: `make run` and `make test`. Both install what is missing first.
SHELL := /bin/bash
BUILD_TYPE ?= RelWithDebInfo
DB ?= sqlite:var/tiaodu.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all setup build native web run test unit clean format

all: build

setup:
	@bash scripts/setup

native: setup
	@if [ ! -f build/build.ninja ]; then \
	  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null; fi
	@cmake --build build

web: setup
	@if [ -f web/package.json ]; then bash scripts/build-web; fi

build: native web

run: build
	@bash scripts/run "$(DB)" "$(LISTEN)"

test: build
	@bash scripts/test-all

unit: native
	@cd build && ctest --output-on-failure -j2

format:
	@find src tests bench -name '*.cc' -o -name '*.h' | xargs clang-format -i

clean:
	rm -rf build web/dist
