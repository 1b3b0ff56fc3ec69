-- wrk script for scripts/load-test: every request asks for another search,
-- drawn at random from the file named by $QUERIES (one URL path per line),
-- so no answer is ever one the server just computed.
local paths = {}

init = function(args)
  for line in io.lines(os.getenv("QUERIES")) do
    paths[#paths + 1] = line
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
