# Multi-stage build: compile a static binary, ship it alone in a small
# non-root image. Migrations, templates and assets are embedded in the binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=docker
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/handoff ./cmd/handoff

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/handoff /usr/local/bin/handoff
USER nonroot:nonroot
EXPOSE 8080
ENV HANDOFF_ADDR=:8080 HANDOFF_LOG_FORMAT=json
ENTRYPOINT ["/usr/local/bin/handoff"]
CMD ["serve"]
