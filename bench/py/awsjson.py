"""A minimal awsJson1_1 client over one keep-alive http.client connection (127.0.0.1 only)."""
import http.client
import json
import urllib.parse


class ApiError(Exception):
    def __init__(self, status, body):
        self.status = status
        self.code = (body or {}).get("__type", "?").split("#")[-1]
        super().__init__(f"HTTP {status} {self.code}: {(body or {}).get('message', '')}")


class Api:
    def __init__(self, url, timeout=30.0):
        parts = urllib.parse.urlsplit(url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.conn = None

    def call(self, operation, body):
        payload = json.dumps(body)
        headers = {"Content-Type": "application/x-amz-json-1.1",
                   "X-Amz-Target": "AWSCognitoIdentityProviderService." + operation}
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request("POST", "/", payload, headers)
                response = self.conn.getresponse()
                raw = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # a keep-alive connection the server closed while idle: one fresh try
                self.close()
                if attempt:
                    raise
        data = json.loads(raw) if raw else {}
        if not 200 <= response.status < 300:
            raise ApiError(response.status, data)
        return data

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None
